/// The fleet's tenants: each one's worker controller, their configuration order and each one's resolved
/// schedule, and what bringing them to a new list of tenants changes.
///
/// Plain state that ``WorkerFleet`` keeps under its lock; starting and stopping the workers a change
/// asks for is the fleet's part.
struct FleetRoster: Sendable {
    /// What ``reconcile(to:defaultSchedule:makeController:)`` changed.
    struct Change {
        var summary = WorkerFleet.ReloadSummary()
        /// Controllers of removed or changed tenants, whose workers must stop.
        var stale: [TenantWorkerController] = []
        /// Controllers of added or changed tenants, whose workers must start.
        var fresh: [TenantWorkerController] = []
    }

    var controllers: [String: TenantWorkerController] = [:]
    /// Tenant ids in configuration order.
    var order: [String] = []
    /// Each tenant's schedule, resolved against the default (never ``ScheduleChoice/inherited``).
    var schedules: [String: ScheduleChoice] = [:]

    /// The tenants as configured, schedules included, in configuration order.
    var configurations: [TenantConfiguration] {
        order.compactMap { id in
            guard var tenant = controllers[id]?.tenant else { return nil }
            tenant.schedule = schedules[id] ?? .onDemand
            return tenant
        }
    }

    /// Every tenant's schedule, as the ``ScheduleBook`` takes them.
    var scheduleBookEntries: [String: TenantSchedule?] {
        Dictionary(uniqueKeysWithValues: order.map { ($0, schedules[$0]?.schedule) })
    }

    /// The tenant as its worker sees it: without a schedule, which the worker has no use for.
    static func withoutSchedule(_ tenant: TenantConfiguration) -> TenantConfiguration {
        var tenant = tenant
        tenant.schedule = .inherited
        return tenant
    }

    /// Brings the roster to `tenants`: a new controller (from `makeController`) for each new or changed
    /// tenant, none for one whose schedule alone changed, and the controllers of missing tenants dropped.
    mutating func reconcile(
        to tenants: [TenantConfiguration], defaultSchedule: TenantSchedule?,
        makeController: (TenantConfiguration) -> TenantWorkerController
    ) -> Change {
        var change = Change()
        let wanted = Set(tenants.map(\.id))
        for id in order where !wanted.contains(id) {
            if let old = controllers.removeValue(forKey: id) { change.stale.append(old) }
            schedules.removeValue(forKey: id)
            change.summary.removed.append(id)
        }
        for configured in tenants {
            let schedule = configured.schedule.resolved(default: defaultSchedule)
            let scheduleChanged = schedules.updateValue(schedule, forKey: configured.id) != schedule
            let tenant = Self.withoutSchedule(configured)
            if let existing = controllers[tenant.id] {
                if existing.tenant == tenant {
                    // A new schedule alone keeps the worker: the scheduler picks it up from the book.
                    if scheduleChanged {
                        change.summary.changed.append(tenant.id)
                    } else {
                        change.summary.unchanged.append(tenant.id)
                    }
                    continue
                }
                change.stale.append(existing)
                change.summary.changed.append(tenant.id)
            } else {
                change.summary.added.append(tenant.id)
            }
            let controller = makeController(tenant)
            controllers[tenant.id] = controller
            change.fresh.append(controller)
        }
        order = tenants.map(\.id)
        return change
    }
}
