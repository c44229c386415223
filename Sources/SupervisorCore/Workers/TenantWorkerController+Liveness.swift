import Foundation

/// Liveness checks and resource sampling of the running worker.
extension TenantWorkerController {
    /// Checks the worker every `checkInterval` until shutdown.
    func monitor() async {
        while !shuttingDown {
            try? await Task.sleep(for: liveness.checkInterval)
            flushBadLines(at: .now)
            await checkLiveness(at: .now)
        }
    }

    /// Samples CPU and memory from `/proc`, then kills a worker that is silent, stuck or too big.
    func checkLiveness(at now: ContinuousClock.Instant) async {
        guard let process, [.starting, .ready, .syncing].contains(lifecycle.state) else { return }
        if let fresh = ProcessSample.read(pid: process.pid, at: now) {
            if let sample { cpuPercent = fresh.cpuPercent(since: sample) }
            environment.metrics?.recordCPU(fresh, since: sample, tenant: tenant.id)
            sample = fresh
        }
        let cause: String?
        if let lastHeardAt, now - lastHeardAt > liveness.heartbeatTimeout {
            cause = "no heartbeat for \(Self.describe(now - lastHeardAt)) (limit \(Self.describe(liveness.heartbeatTimeout)))"
        } else if lifecycle.state == .syncing, let lastProgressAt, now - lastProgressAt > liveness.stuckTimeout {
            cause = "stuck: no progress for \(Self.describe(now - lastProgressAt)) during a sync (limit \(Self.describe(liveness.stuckTimeout)))"
        } else if let limit = liveness.memoryLimitBytes, let resident = sample?.residentBytes, resident > limit {
            cause = "resident memory \(resident / 1_048_576) MiB over the limit of \(limit / 1_048_576) MiB"
        } else {
            cause = nil
        }
        guard let cause else { return }
        logger.error("worker unhealthy; killing and restarting it", metadata: ["worker.pid": "\(process.pid)", "worker.cause": "\(cause)"])
        await perform(apply(.unhealthy(cause: cause)))
    }

    static func describe(_ duration: Duration) -> String {
        String(format: "%.1fs", seconds(duration))
    }
}
