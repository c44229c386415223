/// When and how fast a crashed worker is restarted.
///
/// Backoff doubles from ``initialBackoff`` to ``maximumBackoff`` with each consecutive crash and
/// is drawn at random from the upper half of that value (jitter), so many tenants crashing
/// together do not restart in lockstep. A worker that crashes after staying up ``stableUptime``, with
/// no other crash within ``crashWindow``, is replaced at once (as supervisord replaces a program that
/// ran past its `startsecs`); the backoff applies from the second crash within the window. One that
/// crashes after staying up ``resetAfter`` is replaced at once too, and the doubling starts over.
/// More than ``maximumCrashes`` crashes within ``crashWindow`` put the worker in `errored`: no more
/// restarts until an operator starts it.
public struct RestartPolicy: Sendable, Equatable {
    /// Delay before the first restart. Default 100 ms.
    public var initialBackoff: Duration = .milliseconds(100)
    /// Upper bound of the delay. Default 30 s.
    public var maximumBackoff: Duration = .seconds(30)
    /// Uptime after which a worker's first crash within ``crashWindow`` restarts it at once. Default 1 s.
    public var stableUptime: Duration = .seconds(1)
    /// Uptime after which a crash restarts the worker at once and counts as the first again. Default 60 s.
    public var resetAfter: Duration = .seconds(60)
    /// Crashes tolerated within ``crashWindow``; one more means `errored`. Default 5.
    public var maximumCrashes: Int = 5
    /// Window over which crashes are counted. Default 60 s.
    public var crashWindow: Duration = .seconds(60)
    /// How many times a tenant's sync is retried after its worker crashed during it. Default 1.
    public var syncRetries: Int = 1
    /// How long a sync whose turn has come waits for the worker to become ready (starting, or
    /// restarting after a crash) before it fails. Waiting for another sync of the tenant to end does
    /// not count. Default 30 s.
    public var readyTimeout: Duration = .seconds(30)

    public init() {}

    /// The delay before restart number `attempt` (1 for the first), before jitter.
    public func ceiling(attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let scaled = initialBackoff * (1 << exponent)
        return min(scaled, maximumBackoff)
    }

    /// The delay before restart number `attempt`, with jitter: `unit` in `0..<1` picks a point
    /// in the upper half of ``ceiling(attempt:)``.
    public func delay(attempt: Int, unit: Double) -> Duration {
        let ceiling = ceiling(attempt: attempt)
        return ceiling / 2 + (ceiling / 2) * min(max(unit, 0), 1)
    }
}
