import Foundation
import IPC
import Logging
import Support

/// Runs one tenant's part of a run: waits for a sync slot, syncs the tenant on its worker and
/// records the result, or, when another supervisor holds the tenant, follows its holder through the
/// database until the tenant's row has ended.
struct TenantRunner: Sendable {
    let store: RunStore
    let fleet: WorkerFleet
    let slots: SyncSlots
    let live: LiveProgress
    let events: RunEventLog
    let cancelled: CancelledRuns
    let active: ActiveTenantRuns
    let handledHere: HandledTenantRows
    /// Sync-all runs still joinable, until one of their tenants starts.
    let unstarted: UnstartedRuns
    /// Tenants this supervisor holds; `nil` runs every tenant here (no lease manager).
    let leases: LeaseTable?
    let metrics: SupervisorMetrics?
    let durable: DurableWrites
    /// Seconds between looks at a tenant run elsewhere.
    let pollInterval: Double

    /// The reason a cancelled run gives its syncing tenants.
    static let cancelReason = "cancelled by request"

    /// Runs the tenant's part of `request` here if this supervisor holds the tenant, else follows it
    /// until its holder has run it. `nil` when this supervisor stops before a tenant run elsewhere ends.
    func run(_ request: RunRequest, tenantID: String, logger runLogger: Logger) async -> TenantRunStatus? {
        var tenantLogger = runLogger
        tenantLogger[metadataKey: "tenant.id"] = "\(tenantID)"
        let logger = tenantLogger
        if fleet.controller(for: tenantID) != nil, leases?.runsHere(tenantID) == false {
            // Its holder may start it at any moment: the run can no longer be joined.
            unstarted.started(request.runID)
            handledHere.remove(request.runID, tenantID)
            return await followElsewhere(request.runID, tenantID: tenantID, logger: logger)
        }
        defer { handledHere.remove(request.runID, tenantID) }
        let status = await withSlot(request.runID, tenantID: tenantID) { () -> TenantRunStatus? in
            if cancelled.contains(request.runID), (try? await store.cancelQueuedTenant(request.runID, tenantID: tenantID)) == true {
                logger.info("tenant cancelled before it started")
                events.append(request.runID, name: "tenant_completed", data: TenantEndedEvent(tenantID: tenantID, status: .cancelled, error: "run cancelled before the tenant started"))
                active.release(tenantID, from: request.runID)
                return .cancelled
            }
            return await runHere(request.runID, tenantID: tenantID, options: request.options, logger: logger)
        }
        // A part that synced marked the run started when its sync began (`onStart`); one that ended
        // without a sync here (cancelled, unknown tenant, its row or lease elsewhere) does so now.
        unstarted.started(request.runID)
        if let status { return status }
        // The tenant's lease went while this row waited for a slot, or another supervisor claimed the row
        // first. Left to the queue poller, the row is run here again if the lease comes back.
        handledHere.remove(request.runID, tenantID)
        return await followElsewhere(request.runID, tenantID: tenantID, logger: logger)
    }

    /// Runs `body` once the tenant has one of the sync slots, counting the wait in the metrics.
    func withSlot<T: Sendable>(_ runID: String, tenantID: String, _ body: () async -> T) async -> T {
        let queuedAt = ContinuousClock.now
        metrics?.tenantQueued()
        return await slots.withSlot(runID: runID, tenantID: tenantID, host: upstreamHost(of: tenantID)) {
            metrics?.tenantStartedSyncing(waited: .now - queuedAt)
            defer { metrics?.tenantStoppedSyncing() }
            return await body()
        }
    }

    /// The host the tenant's syncs call (its `base_url`'s), which `max_per_host` caps.
    func upstreamHost(of tenantID: String) -> String? {
        fleet.controller(for: tenantID)?.tenant.settings["base_url"].flatMap { URL(string: $0)?.host?.lowercased() }
    }

    /// Claims the tenant's row and syncs it on this supervisor's worker; `nil` if another supervisor has the row.
    func runHere(_ runID: String, tenantID: String, options: SyncOptions, logger: Logger) async -> TenantRunStatus? {
        defer { active.release(tenantID, from: runID) }
        let report: TenantSyncReport
        if let controller = fleet.controller(for: tenantID) {
            // Looked at again once a slot is free: the lease may have gone meanwhile, and then the
            // row is left queued for the tenant's new holder rather than failed on a stopped worker.
            guard leases?.runsHere(tenantID) != false else { return nil }
            do {
                guard try await store.claimTenant(runID, tenantID: tenantID) else { return nil }
            } catch {
                logger.error("cannot record tenant start", metadata: ["error": "\(error)"])
            }
            let command = SyncCommand(runID: runID, full: options.full, startDate: options.startDate, endDate: options.endDate)
            // The run stays joinable while its tenant waits for a sync of another run to end: its
            // own sync has not started, so it will read whatever a joining request is about.
            report = await controller.sync(command, cancelReason: { [cancelled] in
                cancelled.contains(runID) ? Self.cancelReason : nil
            }, onStart: { [unstarted] in unstarted.started(runID) }) { [live, events] progress in
                live.record(progress, tenantID: tenantID)
                events.append(runID, name: "progress", data: ProgressEvent(tenantID: tenantID, progress: progress))
            }
        } else {
            report = TenantSyncReport(
                result: RunResult(runID: runID, status: .failed, streams: [], error: "unknown tenant \(tenantID)", durationMilliseconds: 0),
                attempts: 1
            )
        }
        let result = report.result
        // A worker's `cancelled` is this run's cancel, or else its worker stopping under it.
        let status = RunOutcome.tenantStatus(of: result, runCancelled: cancelled.contains(runID))
        if fleet.controller(for: tenantID) != nil {
            metrics?.recordTenantSync(tenant: tenantID, status: status, result: result)
        }
        let store = self.store
        _ = await durable.untilStored("the tenant's result", logger: logger) {
            try await store.finishTenant(runID, tenantID: tenantID, status: status, result: result, attempts: report.attempts)
        }
        if let error = result.error, status != .succeeded {
            events.append(runID, name: "error", data: TenantEndedEvent(tenantID: tenantID, status: status, error: error))
        }
        events.append(runID, name: "tenant_completed", data: TenantEndedEvent(
            tenantID: tenantID, status: status, error: result.error, counts: result.totals, results: RunResults(result.streams)
        ))
        logger.info("tenant finished", metadata: [
            "run.status": "\(status)", "sync.created": "\(result.totals.created)", "sync.updated": "\(result.totals.updated)",
            "sync.unchanged": "\(result.totals.unchanged)", "sync.attempts": "\(report.attempts)", "error": "\(result.error ?? "")",
        ])
        return status
    }

    /// Waits until the holder of `tenantID` has run it (the row is no longer queued or running) and
    /// returns its status; `nil` if this supervisor stops first.
    ///
    /// Cancelling the run cancels the row while it is still queued. A tenant whose lease comes here
    /// meanwhile is picked up by the queue poller like any other queued row.
    func followElsewhere(_ runID: String, tenantID: String, logger: Logger) async -> TenantRunStatus? {
        logger.info("tenant held by another supervisor; its holder runs it", metadata: ["lease.owner": "\(leases?.owner(of: tenantID) ?? "none yet")"])
        while !durable.stopping.withLock({ $0 }) {
            if cancelled.contains(runID), (try? await store.cancelQueuedTenant(runID, tenantID: tenantID)) == true {
                events.append(runID, name: "tenant_completed", data: TenantEndedEvent(tenantID: tenantID, status: .cancelled, error: "run cancelled before the tenant started"))
                active.release(tenantID, from: runID)
                return .cancelled
            }
            do {
                if let ended = try await store.endedTenant(runID, tenantID: tenantID) {
                    active.release(tenantID, from: runID)
                    events.append(runID, name: "tenant_completed", data: TenantEndedEvent(
                        tenantID: tenantID, status: ended.status, error: ended.error, counts: ended.counts, results: RunResults(ended.streams)
                    ))
                    logger.info("tenant finished on another supervisor", metadata: ["run.status": "\(ended.status)"])
                    return ended.status
                }
            } catch {
                logger.warning("cannot read the tenant's row of the run", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(Int(pollInterval * 1000)))
        }
        return nil
    }
}
