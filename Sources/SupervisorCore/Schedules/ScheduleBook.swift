import Foundation
import Synchronization

/// This supervisor's view of every tenant's schedule: what its configuration says (written by the
/// fleet) and, as last read from `tenant_schedules`, when each fires next and whether it is paused
/// (written by the scheduler on every tick, and at once by pause and resume).
///
/// Status displays read it without waiting for the database; a fire or pause made by another supervisor
/// shows here within one scheduler tick.
final class ScheduleBook: Sendable {
    private struct Entries {
        /// The configured schedule of each tenant the fleet holds; `nil` for on demand.
        var configured: [String: TenantSchedule?] = [:]
        var stored: [String: ScheduleState] = [:]
    }

    private let entries = Mutex(Entries())

    init() {}

    /// Replaces the configured schedules with `schedules`, tenant id → schedule (`nil` for on demand).
    func configure(_ schedules: [String: TenantSchedule?]) {
        entries.withLock { entries in
            entries.configured = schedules
            entries.stored = entries.stored.filter { schedules.keys.contains($0.key) }
        }
    }

    /// Every configured tenant's schedule.
    var configured: [String: TenantSchedule?] {
        entries.withLock { $0.configured }
    }

    /// The configured schedule of `tenantID`; `nil` for on demand or an unknown tenant.
    func schedule(of tenantID: String) -> TenantSchedule? {
        entries.withLock { $0.configured[tenantID] ?? nil }
    }

    /// Records stored states, as read from the database.
    func record(_ states: [String: ScheduleState]) {
        entries.withLock { entries in
            for (tenantID, state) in states where entries.configured.keys.contains(tenantID) {
                entries.stored[tenantID] = state
            }
        }
    }

    /// The stored state of `tenantID`, if read yet.
    func state(of tenantID: String) -> ScheduleState? {
        entries.withLock { $0.stored[tenantID] }
    }
}
