import Logging
import Support

/// Cancels of runs, wherever they run: a run open here is marked cancelled at once and its syncing
/// tenants told to stop; any other run is cancelled through its row (`cancel_requested_at`), which
/// its owner and every supervisor syncing its tenants look for every `pollInterval` seconds.
struct RunCancels: Sendable {
    let store: RunCancelStore
    let fleet: WorkerFleet
    let outbox: any RunEndOutbox
    let cancelled: CancelledRuns
    let handledHere: HandledTenantRows
    let stopping: LockedValue<Bool>
    let pollInterval: Double
    let logger: Logger

    /// Asks a run to stop: tenants still waiting for a slot are cancelled, running ones stop
    /// after the batch in hand (what they committed stays, and their next sync resumes after it),
    /// and the run ends `cancelled`. ``CancelledRuns/Answer/ended`` once its outcome is decided.
    ///
    /// A run open here is marked cancelled before any worker is told, so a tenant whose sync is handed
    /// over meanwhile still sees the cancel when it does (see ``TenantWorkerController/sync(_:cancelReason:onStart:onProgress:)``);
    /// the cancel is then recorded in the run's row for its tenants syncing on other supervisors. Any
    /// other run goes through ``cancelNotOpenedHere(_:)``. Throws only when the database is needed and fails.
    func cancel(_ runID: String) async throws -> CancelledRuns.Answer {
        switch cancelled.request(runID) {
        case .ended:
            return .ended
        case .unknown:
            return try await cancelNotOpenedHere(runID)
        case .accepted:
            logger.info("run cancel requested", metadata: ["sync.run_id": "\(runID)"])
            await tellWorkers(runID)
            // If this fails, the cancel-request poll records it at its next look.
            try? await store.recordCancelRequests([runID])
            return .accepted
        }
    }

    /// Cancels a run not open here: one of another supervisor's (recorded in its row for its owner and
    /// the supervisors syncing its tenants), or one of this supervisor's that it no longer has in memory,
    /// or one whose owner is gone (ended here, with its callback, once no tenant syncs for it).
    /// ``CancelledRuns/Answer/ended`` if the run had already ended.
    func cancelNotOpenedHere(_ runID: String) async throws -> CancelledRuns.Answer {
        let request = try await store.requestCancel(runID, syncingHere: handledHere.tenants(of: runID), outbox: outbox)
        let metadata: Logger.Metadata = ["sync.run_id": "\(runID)"]
        switch request {
        case .alreadyEnded:
            return .ended
        case .forwarded(let owner):
            logger.info("run cancel requested; recorded for the supervisor that owns the run", metadata: metadata.merging(["run.owner": "\(owner)"]) { $1 })
        case .endedHere:
            logger.info("run cancel requested; no supervisor had the run in hand, so it ended here as cancelled", metadata: metadata)
        case .cancelling:
            logger.info("run cancel requested; its waiting tenants are cancelled and its syncing tenants stop", metadata: metadata)
        }
        await stopSyncsHere(of: runID)
        return .accepted
    }

    /// Every ``pollInterval`` seconds: records in their rows the cancels of runs open here (in case the
    /// first write failed), and stops runs open here, and tenants syncing here, whose cancel another
    /// supervisor recorded.
    func pollCancelRequests() async {
        while !stopping.withLock({ $0 }) {
            try? await Task.sleep(for: .milliseconds(Int(pollInterval * 1000)))
            let undecided = cancelled.undecided
            let cancelledHere = undecided.filter { cancelled.contains($0) }
            let watched = Set(undecided).union(handledHere.runIDs).filter { !cancelled.contains($0) }
            guard !cancelledHere.isEmpty || !watched.isEmpty else { continue }
            do {
                try await store.recordCancelRequests(cancelledHere)
                for runID in try await store.cancelRequested(among: watched.sorted()) {
                    logger.info("run cancel recorded by another supervisor", metadata: ["sync.run_id": "\(runID)"])
                    if cancelled.isOpen(runID) {
                        _ = try await cancel(runID)
                    } else {
                        await stopSyncsHere(of: runID)
                    }
                }
            } catch {
                logger.warning("cannot look for cancel requests", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Tells this supervisor's workers syncing tenants of `runID` (a run not open here) to stop.
    private func stopSyncsHere(of runID: String) async {
        // Marked only while a tenant of it syncs here: nothing else would forget the mark.
        guard !handledHere.tenants(of: runID).isEmpty else { return }
        cancelled.cancelNotOpenedHere(runID)
        await tellWorkers(runID)
    }

    /// Asks the workers syncing tenants of `runID` here to stop after the batch in hand.
    private func tellWorkers(_ runID: String) async {
        for tenantID in handledHere.tenants(of: runID) {
            _ = await fleet.controller(for: tenantID)?.cancelRun(runID, reason: TenantRunner.cancelReason)
        }
    }
}
