import Logging

/// Picks up queued rows of the tenants this supervisor holds (runs started on other supervisors,
/// or rows left running by one that died), runs them here, and ends their run when the row is its last.
struct QueuedRowPoller: Sendable {
    let runner: TenantRunner
    let leases: LeaseTable
    let outbox: any RunEndOutbox
    let logger: Logger

    private var store: RunStore { runner.store }
    private var isStopping: Bool { runner.durable.stopping.withLock { $0 } }

    /// Looks every `pollInterval` seconds until the supervisor stops.
    func run() async {
        await withDiscardingTaskGroup { group in
            while !isStopping {
                try? await Task.sleep(for: .milliseconds(Int(runner.pollInterval * 1000)))
                guard !runner.fleet.isShuttingDown, !isStopping else { continue }
                let pending: [RunStore.PendingTenant]
                do {
                    pending = try await store.pendingTenants(held: leases.runnable.sorted())
                } catch {
                    logger.warning("cannot look for queued run rows", metadata: ["error": "\(error)"])
                    continue
                }
                for row in pending where runner.handledHere.insertIfAbsent(row.runID, row.tenantID) {
                    group.addTask { await runQueuedRow(row) }
                }
            }
        }
    }

    private func runQueuedRow(_ row: RunStore.PendingTenant) async {
        var rowLogger = self.logger
        rowLogger[metadataKey: "sync.run_id"] = "\(row.runID)"
        rowLogger[metadataKey: "tenant.id"] = "\(row.tenantID)"
        let logger = rowLogger
        let ended: Bool
        if row.cancelRequested {
            // The run was asked to cancel: the row ends cancelled instead of syncing.
            ended = (try? await store.cancelUnclaimedTenant(row.runID, tenantID: row.tenantID)) == true
            if ended { logger.info("cancelled a queued tenant of a run asked to cancel") }
        } else {
            ended = await runner.withSlot(row.runID, tenantID: row.tenantID) {
                await runner.runHere(row.runID, tenantID: row.tenantID, options: row.options, logger: logger)
            } != nil
            if ended { logger.info("ran a tenant queued by another supervisor") }
        }
        runner.handledHere.remove(row.runID, row.tenantID)
        if runner.handledHere.tenants(of: row.runID).isEmpty { runner.cancelled.forgetNotOpenedHere(row.runID) }
        guard ended else { return }
        // A run of this supervisor that it no longer has in memory (its start was stored, but not known
        // to be) is ended here too, by whoever finishes its last tenant.
        let ownRunLiveHere = runner.cancelled.isOpen(row.runID)
        let (store, outbox) = (self.store, self.outbox)
        if await runner.durable.untilStored("the end of the run", logger: logger, {
            try await store.endRunIfLast(row.runID, ownRunLiveHere: ownRunLiveHere, outbox: outbox)
        }) == true {
            logger.info("ended the run: its last tenant finished here")
        }
    }
}
