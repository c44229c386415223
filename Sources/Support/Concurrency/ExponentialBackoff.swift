/// Delays between retries of something that failed: `initial`, then twice as long each time, up
/// to `maximum`.
///
/// For waits on a resource that comes back by itself (a database after a restart); retries of
/// upstream requests have their own policy, with jitter and `Retry-After`, in the worker.
public struct ExponentialBackoff: Sendable, Equatable {
    private var upcoming: Duration
    private let maximum: Duration

    public init(initial: Duration, maximum: Duration) {
        self.upcoming = min(initial, maximum)
        self.maximum = maximum
    }

    /// The delay to wait now; the next one is twice as long, up to the maximum.
    public mutating func next() -> Duration {
        defer { upcoming = min(upcoming * 2, maximum) }
        return upcoming
    }
}
