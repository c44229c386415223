/// Operator verbs, leases and supervisor shutdown, each a ``WorkerCommand``.
extension TenantWorkerController {
    /// Carries out `command` and waits as long as it says for the worker it stops to exit. `false`, doing
    /// nothing, when the command needs the tenant's lease and this supervisor does not hold it: checked
    /// here, on the actor, so a lease lost just before cannot be followed by a worker nobody stops.
    @discardableResult
    func carryOut(_ command: WorkerCommand) async -> Bool {
        guard !command.needsLease || holdsLease else { return false }
        let worker = process
        await perform(apply(command.event(at: .now)))
        if let worker, let timeout = command.exitTimeout(gracePeriod: gracePeriod) { await waitForExit(of: worker, timeout: timeout) }
        return true
    }

    /// ``WorkerCommand/start``, then the status; `nil`, doing nothing, without the tenant's lease.
    func start() async -> TenantStatus? { await carryOut(.start) ? status() : nil }
    /// ``WorkerCommand/stop``, then the status.
    func stop() async -> TenantStatus { await carryOut(.stop); return status() }
    /// ``WorkerCommand/restart``, then the status; `nil`, doing nothing, without the tenant's lease.
    func restart() async -> TenantStatus? { await carryOut(.restart) ? status() : nil }
    /// ``WorkerCommand/kill``, then the status once the worker has exited (or 5 s).
    func kill() async -> TenantStatus { await carryOut(.kill); return status() }

    /// Stops the worker gracefully and keeps it stopped; used at supervisor shutdown.
    func shutdown() async {
        markShuttingDown()
        await carryOut(.shutdown)
        changes.wakeAll()
        await syncQueue.wakeWaiting()
    }

    /// Asks the worker to stop syncing `runID` after the batch in hand; false if it is not syncing that run.
    ///
    /// The sync's result still arrives (status `cancelled`); the worker stays up. A run that joined
    /// another's sync does not stop it: only the run the worker is syncing can be cancelled. A request
    /// of `runID` still waiting for its turn wakes up and finds its run cancelled (see ``sync(_:cancelReason:onStart:onProgress:)``).
    func cancelRun(_ runID: String, reason: String) async -> Bool {
        await syncQueue.wakeWaiting()
        return tracker.cancel(runID, reason: reason)
    }

    /// The connector's connection test, run by the ready worker with the settings it was started with;
    /// waits up to `timeout` for the answer.
    func checkConnection(timeout: Duration) async -> ConnectionCheckOutcome {
        await tracker.checkConnection(timeout: timeout)
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
        await carryOut(.leaseAcquired)
    }

    /// Kills the worker of a lease this supervisor lost (``WorkerCommand/leaseLost(cause:)``), then starts
    /// it again if the lease is held by now.
    ///
    /// The fence drops a lease and kills its worker from its own thread; a heartbeat that renews the
    /// lease right then (the database came back as the fence fired) announces the acquisition while
    /// this controller still sees its worker up, and ``leaseAcquired()`` ignores it. Without the second
    /// step the tenant stayed stopped while its lease was held, until the supervisor restarted (chaos:
    /// after a 5 s database outage).
    func leaseLost(cause: String) async {
        await carryOut(.leaseLost(cause: cause))
        guard holdsLease else { return }
        await leaseAcquired()
    }
}
