import Foundation

/// Liveness checks and resource sampling of the running worker.
extension TenantWorkerController {
    /// Checks the worker every `checkInterval` until shutdown.
    func monitor() async {
        while !shuttingDown {
            try? await Task.sleep(for: liveness.checkInterval)
            badLines.flush(pid: process?.pid, at: .now)
            await checkLiveness(at: .now)
        }
    }

    /// Samples CPU and memory from `/proc`, then kills a worker that is silent, stuck or too big.
    func checkLiveness(at now: ContinuousClock.Instant) async {
        guard session != nil, [.starting, .ready, .syncing].contains(lifecycle.state) else { return }
        let previous = session?.sample
        session?.sampleResources(at: now)
        if let fresh = session?.sample, fresh != previous {
            environment.metrics?.recordCPU(fresh, since: previous, tenant: tenant.id)
        }
        guard let session, let cause = session.unhealthyCause(syncing: lifecycle.state == .syncing, liveness: liveness, at: now) else {
            return
        }
        logger.error("worker unhealthy; killing and restarting it", metadata: ["worker.pid": "\(session.pid)", "worker.cause": "\(cause)"])
        await perform(apply(.unhealthy(cause: cause)))
    }
}
