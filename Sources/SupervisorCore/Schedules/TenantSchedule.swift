import Foundation
import Support

/// When a tenant syncs without being asked: its ``ScheduleTiming`` and a jitter that spreads tenants
/// sharing a schedule.
///
/// In the configuration a schedule is either the string `"every 15m"` (units `s`, `m`, `h`, `d`) or an
/// object: `{"every": "15m", "jitter": "2m"}` or `{"cron": "*/15 * * * *", "time_zone": "Europe/Madrid",
/// "jitter": "2m"}` (`time_zone` defaults to `UTC`; `jitter` to none). It is stored in
/// `tenant_schedules.schedule` as that object's JSON (``storedText``), which decodes back to the same schedule.
///
/// Each tenant fires at its slots moved later by the same offset, within `[0, jitter)`, taken from a
/// stable hash of its id: tenants on one schedule spread out, and a tenant's fire times do not move
/// when a supervisor restarts or another one fires it.
public struct TenantSchedule: Hashable, Sendable, CustomStringConvertible {
    public var timing: ScheduleTiming
    public var jitter: ScheduleDuration

    public init(_ timing: ScheduleTiming, jitter: ScheduleDuration = ScheduleDuration(seconds: 0)) {
        self.timing = timing
        self.jitter = jitter
    }

    /// Parses the string form, `every <duration>`.
    public init(parsing text: String) throws(ScheduleError) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 2, words[0].lowercased() == "every" else {
            throw ScheduleError("schedule \"\(text)\" must be \"every <number><s|m|h|d>\" (as in \"every 15m\") or an object with \"every\" or \"cron\"")
        }
        self.init(.every(try Self.interval(String(words[1]))))
    }

    static func interval(_ text: String) throws(ScheduleError) -> ScheduleDuration {
        let interval = try ScheduleDuration(parsing: text)
        guard interval.seconds >= 1 else { throw ScheduleError("schedule interval \"\(text)\" must be at least 1s") }
        return interval
    }

    /// The seconds this tenant's fires come after the schedule's slots: within `[0, jitter)`.
    public func jitterOffset(for tenantID: String) -> Int {
        guard jitter.seconds > 0 else { return 0 }
        return Int(StableHash.fnv1a(tenantID) % UInt64(jitter.seconds))
    }

    /// The tenant's first fire strictly after `instant`, jitter included; `nil` if the schedule never fires.
    ///
    /// Computed from `instant` alone, never from the last fire: after downtime the next fire is the
    /// first slot still ahead, so missed slots fire once (the overdue fire), not once each.
    public func nextFire(after instant: Date, tenantID: String) -> Date? {
        let offset = Double(jitterOffset(for: tenantID))
        return timing.nextSlot(after: instant.addingTimeInterval(-offset))?.addingTimeInterval(offset)
    }

    public var description: String {
        jitter.seconds > 0 ? "\(timing) jitter \(jitter)" : timing.description
    }
}
