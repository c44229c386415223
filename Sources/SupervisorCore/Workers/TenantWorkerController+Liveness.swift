import Foundation

/// Liveness checks and resource sampling of the running worker.
extension TenantWorkerController {
    /// Checks the worker every `checkInterval` until shutdown.
    func monitor() async {
        while !shuttingDown {
            try? await Task.sleep(for: liveness.checkInterval)
            tracker.flushBadLines(at: .now)
            await checkLiveness(at: .now)
        }
    }

    /// Samples CPU and memory from `/proc`, then kills a worker that is silent, stuck or too big.
    func checkLiveness(at now: ContinuousClock.Instant) async {
        guard let cause = tracker.unhealthyCause(liveness: liveness, at: now) else { return }
        await perform(apply(.unhealthy(cause: cause)))
    }
}
