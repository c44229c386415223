import Foundation

/// A tenant's schedule as stored in `tenant_schedules`: when it fires next and whether it is paused.
struct ScheduleState: Sendable, Equatable {
    /// The next fire; `nil` when the tenant has no schedule (or its stored schedule cannot be read).
    var nextFireAt: Date?
    /// Paused through the API: no fire until resumed, on every supervisor.
    var paused: Bool
}
