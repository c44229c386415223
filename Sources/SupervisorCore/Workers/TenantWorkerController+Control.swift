import Foundation
import IPC

/// Operator verbs and supervisor shutdown.
extension TenantWorkerController {
    /// Asks the worker to stop syncing `runID` after the batch in hand; false if it is not syncing that run.
    ///
    /// The sync's result still arrives (status `cancelled`); the worker stays up. A run that joined
    /// another's sync does not stop it: only the run the worker is syncing can be cancelled. A request
    /// of `runID` still waiting for its turn wakes up and finds its run cancelled (see ``sync(_:cancelReason:onProgress:)``).
    func cancelRun(_ runID: String, reason: String) async -> Bool {
        await syncQueue.wakeWaiting()
        guard currentRunID == runID, let process else { return false }
        logger.info("asking the worker to cancel its sync", metadata: ["sync.run_id": "\(runID)"])
        return process.send(.cancel(CancelRun(runID: runID, reason: reason)))
    }

    /// Starts the worker if none runs; an errored worker gets a fresh crash history. `nil`, doing
    /// nothing, when this supervisor does not hold the tenant's lease: checked here, on the actor, so
    /// a lease lost just before cannot be followed by a worker nobody stops.
    func start() async -> TenantStatus? {
        guard holdsLease else { return nil }
        await perform(apply(.start(cause: "started by an operator", at: .now)))
        return status()
    }

    /// Stops the worker gracefully; it stays stopped until started.
    func stop() async -> TenantStatus {
        await perform(apply(.stop(cause: "stopped by an operator")))
        return status()
    }

    /// Stops the worker gracefully and starts a new one; `nil`, doing nothing, without the tenant's lease.
    func restart() async -> TenantStatus? {
        guard holdsLease else { return nil }
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
        changes.wakeAll()
        await syncQueue.wakeWaiting()
    }
}

/// Leases: a worker runs only while this supervisor holds the tenant.
extension TenantWorkerController {
    /// Whether this supervisor may run the tenant's worker now.
    var holdsLease: Bool {
        environment.leases?.holds(tenant.id) ?? true
    }

    /// Starts the worker of a tenant this supervisor just came to hold (once the old one has exited,
    /// if a lost lease is still stopping it).
    func leaseAcquired() async {
        guard supervising, !shuttingDown, tenant.enabled, [.stopped, .stopping].contains(lifecycle.state) else { return }
        await perform(apply(.start(cause: "lease acquired", at: .now)))
    }

    /// SIGKILLs the worker now: the lease is gone or about to end unrenewed. `cause` says why
    /// (`lease lost: database unreachable`), and stays the tenant's `state_cause` once it has stopped.
    func leaseLost(cause: String) async {
        let worker = process
        await perform(apply(.kill(cause: cause)))
        if let worker { await waitForExit(of: worker, timeout: .seconds(5)) }
    }

    /// Stops the worker gracefully before the lease goes to another supervisor.
    func handBack() async {
        let worker = process
        await perform(apply(.stop(cause: "lease handed to another supervisor")))
        if let worker { await waitForExit(of: worker, timeout: .milliseconds(Int(environment.shutdownGracePeriod * 1000)) + .seconds(5)) }
    }
}
