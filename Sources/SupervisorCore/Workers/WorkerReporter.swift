import Logging

/// What the supervisor tells of a tenant's worker: each change of its state with the cause (in the
/// supervisor's log and the tenant's), its spawns and exits, and the restarts and exits the metrics count.
struct WorkerReporter: Sendable {
    let tenant: TenantConfiguration
    let logger: Logger
    let logStore: TenantLogStore
    let metrics: SupervisorMetrics?

    /// Tells of a lifecycle event that left `lifecycle` in its state now, from `before`, after `restartsBefore`
    /// restarts: the restarts it added are counted, and a change of state is logged (a warning into
    /// `backoff` or `errored`) with its cause and `detail`.
    func transition(from before: WorkerState, restartsBefore: Int, to lifecycle: WorkerLifecycle, detail: String?, pid: Int32?) {
        let after = lifecycle.state
        metrics?.recordRestarts(lifecycle.restarts - restartsBefore, tenant: tenant.id)
        guard before != after else { return }
        var metadata: Logger.Metadata = ["worker.cause": "\(lifecycle.cause)", "worker.state": "\(after.rawValue)"]
        if let detail { metadata["worker.detail"] = "\(detail)" }
        let level: Logger.Level = [.backoff, .errored].contains(after) ? .warning : .info
        logger.log(level: level, "worker state \(before.rawValue) → \(after.rawValue)", metadata: metadata)
        logStore.supervisorEvent(tenant: tenant, pid: pid, level: level == .info ? "notice" : level.rawValue, message: "worker state \(before.rawValue) → \(after.rawValue): \(lifecycle.cause)\(detail.map { " (\($0))" } ?? "")")
    }

    func spawned(pid: Int32) {
        logger.info("worker spawned", metadata: ["worker.pid": "\(pid)"])
        logStore.supervisorEvent(tenant: tenant, pid: pid, message: "worker spawned (pid \(pid))")
    }

    /// Logs the exit: a warning unless the worker was meant to stop (`stopped`).
    func exited(_ exit: WorkerExit, pid: Int32, stopped: Bool) {
        if stopped {
            logger.info("worker exited", metadata: ["worker.pid": "\(pid)", "worker.exit": "\(exit)"])
        } else {
            logger.warning("worker exited unexpectedly", metadata: ["worker.pid": "\(pid)", "worker.exit": "\(exit)"])
        }
    }
}
