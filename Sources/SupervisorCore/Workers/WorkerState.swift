/// Where a tenant's worker is in its life, as shown by status and the API.
public enum WorkerState: String, Codable, Sendable {
    /// No worker, and none wanted (never started, or stopped by an operator).
    case stopped
    /// Spawned, waiting for `ready`.
    case starting
    /// Idle and able to take a sync.
    case ready
    /// Running a sync.
    case syncing
    /// Asked to exit; waiting for it.
    case stopping
    /// Exited unexpectedly; waiting before the next start.
    case backoff
    /// Failed permanently (or crashed too often); no restarts until an operator starts it.
    case errored
}
