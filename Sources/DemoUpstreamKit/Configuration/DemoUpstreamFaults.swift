/// Failures the demo upstream injects on purpose, to exercise clients' retry paths.
///
/// Draws come from a generator seeded by `seed`, so a run with the same requests in the same order
/// fails the same requests.
public struct DemoUpstreamFaults: Sendable, Hashable {
    /// Fraction of authenticated API requests, `0...1`, answered with a 500 instead of data.
    public var errorRate: Double
    /// Seed of the generator that decides which requests fail.
    public var seed: UInt64

    /// No injected failures.
    public static let none = DemoUpstreamFaults()

    public init(errorRate: Double = 0, seed: UInt64 = 0) {
        self.errorRate = errorRate
        self.seed = seed
    }
}
