import Foundation

/// What became of one due schedule claimed by ``ScheduleStore/claimDue(among:limit:reserve:)``.
struct ScheduleFire: Sendable, Equatable {
    enum Outcome: Sendable, Equatable {
        /// A run of the tenant was stored, queued, with trigger `schedule`.
        case started(runID: String)
        /// The tenant was still syncing (in `busyRunID`, or in a run in hand here when `nil`): no run was stored.
        case skipped(busyRunID: String?)
        /// The stored schedule cannot be read by this version; it fires no more until the configuration sets it again.
        case unreadable(String)
    }

    var tenantID: String
    /// The slot that was due: the fire's `next_fire_at`, earlier than now after downtime.
    var slot: Date
    /// The fire after this one: the schedule's first slot after now.
    var nextFireAt: Date?
    var outcome: Outcome
}
