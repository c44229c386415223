import Synchronization

/// Decides, request by request, whether to fail on purpose (see ``DemoUpstreamFaults``).
final class FaultInjector: Sendable {
    private let errorRate: Double
    private let random: Mutex<SplitMix64>

    init(faults: DemoUpstreamFaults) {
        self.errorRate = faults.errorRate
        self.random = Mutex(SplitMix64(seed: faults.seed))
    }

    /// Throws ``DemoHTTPError/injectedFault`` for the drawn share of requests.
    func check() throws(DemoHTTPError) {
        guard self.errorRate > 0 else { return }
        let fail = self.random.withLock { $0.chance(self.errorRate) }
        if fail { throw .injectedFault }
    }
}
