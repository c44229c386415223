import IPC

/// How a tenant's sync ended: its result with counts summed over every attempt, and how many
/// attempts it took (at least 1, even when no worker ever got it).
struct TenantSyncReport: Sendable, Equatable {
    var result: RunResult
    var attempts: Int
}
