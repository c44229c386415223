/// What a tenant's configuration says about its schedule.
public enum ScheduleChoice: Hashable, Sendable {
    /// No `schedule` key: the configuration's `default_schedule`, if any.
    case inherited
    /// `"schedule": null`: syncs only when asked, whatever the default.
    case onDemand
    /// Its own schedule.
    case scheduled(TenantSchedule)

    /// The choice with ``inherited`` replaced by `defaultSchedule` (or ``onDemand`` without one).
    func resolved(default defaultSchedule: TenantSchedule?) -> ScheduleChoice {
        guard case .inherited = self else { return self }
        return defaultSchedule.map { .scheduled($0) } ?? .onDemand
    }

    /// The schedule the tenant follows, once resolved; `nil` for on demand.
    public var schedule: TenantSchedule? {
        if case .scheduled(let schedule) = self { return schedule }
        return nil
    }
}
