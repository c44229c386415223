import Foundation

/// Operator verbs and supervisor shutdown.
extension TenantWorkerController {
    /// Starts the worker if none runs; an errored worker gets a fresh crash history.
    func start() async -> TenantStatus {
        await perform(apply(.start(cause: "started by an operator", at: .now)))
        return status()
    }

    /// Stops the worker gracefully; it stays stopped until started.
    func stop() async -> TenantStatus {
        await perform(apply(.stop(cause: "stopped by an operator")))
        return status()
    }

    /// Stops the worker gracefully and starts a new one.
    func restart() async -> TenantStatus {
        await perform(apply(.restart(cause: "restarted by an operator", at: .now)))
        return status()
    }

    /// SIGKILLs the worker's process group now; it stays stopped until started.
    func kill() async -> TenantStatus {
        let worker = process
        await perform(apply(.kill(cause: "killed by an operator")))
        if let worker { await waitForExit(of: worker, timeout: .seconds(5)) }
        return status()
    }

    /// Stops the worker gracefully and keeps it stopped; used at supervisor shutdown.
    func shutdown() async {
        markShuttingDown()
        await perform(apply(.stop(cause: "supervisor shutting down")))
        wakeWaiters()
    }
}
