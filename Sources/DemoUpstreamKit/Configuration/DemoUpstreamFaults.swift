/// Failures the demo upstream injects on purpose, to exercise clients' retry and reject paths.
///
/// Each rate is the fraction `0...1` of authenticated API requests that draw that fault; draws come
/// from a generator seeded by `seed`, so the same requests in the same order fail the same way.
public struct DemoUpstreamFaults: Sendable, Hashable {
    /// Requests answered with a 500 instead of data.
    public var errorRate: Double
    /// Requests that start a burst of `rateLimitBurst` consecutive 429s, each with `Retry-After`.
    public var rateLimitRate: Double
    /// How many requests in a row a rate-limit burst refuses, the drawing one included.
    public var rateLimitBurst: Int
    /// Seconds sent in `Retry-After` with each 429.
    public var retryAfterSeconds: Int
    /// Requests answered only after `slowDelay` (on top of the configured latency).
    public var slowRate: Double
    public var slowDelay: Duration
    /// Requests whose JSON body is cut in half (a page no client can parse).
    public var truncateRate: Double
    /// Requests whose list gains one malformed record (an object whose `id` is not usable) at its head.
    public var malformedRecordRate: Double
    /// Requests whose connection drops after half the body was sent (a reset mid-transfer).
    public var resetRate: Double
    /// Seed of the generator that decides which requests fail.
    public var seed: UInt64
    /// List pages numbered `holdFromPage` or later are answered only after `holdDelay` (or when the
    /// server stops), so a client is caught partway through a collection for as long as needed.
    public var holdFromPage: Int?
    public var holdDelay: Duration

    /// No injected failures.
    public static let none = DemoUpstreamFaults()

    public init(
        errorRate: Double = 0,
        rateLimitRate: Double = 0,
        rateLimitBurst: Int = 3,
        retryAfterSeconds: Int = 1,
        slowRate: Double = 0,
        slowDelay: Duration = .milliseconds(500),
        truncateRate: Double = 0,
        malformedRecordRate: Double = 0,
        resetRate: Double = 0,
        seed: UInt64 = 0,
        holdFromPage: Int? = nil,
        holdDelay: Duration = .seconds(60)
    ) {
        self.errorRate = errorRate
        self.rateLimitRate = rateLimitRate
        self.rateLimitBurst = rateLimitBurst
        self.retryAfterSeconds = retryAfterSeconds
        self.slowRate = slowRate
        self.slowDelay = slowDelay
        self.truncateRate = truncateRate
        self.malformedRecordRate = malformedRecordRate
        self.resetRate = resetRate
        self.seed = seed
        self.holdFromPage = holdFromPage
        self.holdDelay = holdDelay
    }

    /// Every rate with its name, for validation.
    var rates: [(String, Double)] {
        [
            ("errorRate", errorRate), ("rateLimitRate", rateLimitRate), ("slowRate", slowRate),
            ("truncateRate", truncateRate), ("malformedRecordRate", malformedRecordRate), ("resetRate", resetRate),
        ]
    }
}
