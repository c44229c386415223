/// Bad protocol lines of one tenant's worker as lines of its log: the first at once with its reason,
/// then at most one line per ``interval`` that says how many were left out since the last one.
///
/// A worker writing garbage as fast as it can must not flood the tenant's log or the supervisor's
/// own output; every bad line is still counted (`bad_lines` in the status). A pure state machine:
/// the controller passes the time.
struct BadLineThrottle: Sendable {
    typealias Instant = ContinuousClock.Instant

    let interval: Duration
    private var lastLoggedAt: Instant?
    /// Bad lines seen since the last line logged, and the reason of the latest of them.
    private(set) var leftOut = 0
    private var latestReason: String?

    init(interval: Duration = .seconds(1)) {
        self.interval = interval
    }

    /// A bad line arrived: the log line to write now, or `nil` if it is only counted for later.
    mutating func record(_ reason: String, at now: Instant) -> String? {
        if let lastLoggedAt, now - lastLoggedAt < interval {
            leftOut += 1
            latestReason = reason
            return nil
        }
        lastLoggedAt = now
        defer { leftOut = 0; latestReason = nil }
        return "bad line from worker: \(reason)" + Self.leftOutSuffix(leftOut)
    }

    /// Once ``interval`` has passed since the last logged line, logs the latest bad line left out
    /// meanwhile, with the count of the others; `nil` when none were. Every logged line stands for
    /// itself and the lines it says were not logged, so the counts add up to every bad line.
    mutating func flush(at now: Instant) -> String? {
        guard leftOut > 0, let latestReason, let lastLoggedAt, now - lastLoggedAt >= interval else { return nil }
        self.lastLoggedAt = now
        defer { leftOut = 0; self.latestReason = nil }
        return "bad line from worker: \(latestReason)" + Self.leftOutSuffix(leftOut - 1)
    }

    private static func leftOutSuffix(_ count: Int) -> String {
        count > 0 ? "; \(count) more bad lines not logged since the last one" : ""
    }
}
