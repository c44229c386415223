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
        /// Counts writes of stored states; a read from the database is recorded with the count it began at.
        var generation: UInt64 = 0
        /// The generation of each tenant's last write made here (pause, resume), which an older read must not undo.
        var writtenHere: [String: UInt64] = [:]
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

    /// Marks the start of a read of every state from the database; pass the answer to ``record(_:readFrom:)``.
    func beginRead() -> UInt64 {
        entries.withLock { $0.generation }
    }

    /// Records states read from the database by a read that began at `generation`, except those of
    /// tenants written here since (a pause answered while the read was under way stays).
    func record(_ states: [String: ScheduleState], readFrom generation: UInt64) {
        entries.withLock { entries in
            for (tenantID, state) in states where entries.configured.keys.contains(tenantID) {
                if let written = entries.writtenHere[tenantID], written > generation { continue }
                entries.stored[tenantID] = state
            }
        }
    }

    /// Records a state this supervisor just wrote (pause, resume).
    func recordWrite(_ state: ScheduleState, of tenantID: String) {
        entries.withLock { entries in
            entries.generation += 1
            entries.writtenHere[tenantID] = entries.generation
            if entries.configured.keys.contains(tenantID) { entries.stored[tenantID] = state }
        }
    }

    /// The stored state of `tenantID`, if read yet.
    func state(of tenantID: String) -> ScheduleState? {
        entries.withLock { $0.stored[tenantID] }
    }
}
