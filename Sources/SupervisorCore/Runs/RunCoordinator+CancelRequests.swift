import Logging

/// Cancels of runs this supervisor does not have in memory, and cancels recorded by other supervisors.
extension RunCoordinator {
    /// Cancels a run not open here: one of another supervisor's (recorded in its row for its owner and
    /// the supervisors syncing its tenants), or one of this supervisor's that it no longer has in memory,
    /// or one whose owner is gone (ended here, with its callback, once no tenant syncs for it).
    /// ``CancelledRuns/Answer/ended`` if the run had already ended.
    func cancelNotOpenedHere(_ runID: String) async throws -> CancelledRuns.Answer {
        let (store, outbox) = (self.store, self.outbox)
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

    /// Tells this supervisor's workers syncing tenants of `runID` (a run not open here) to stop.
    func stopSyncsHere(of runID: String) async {
        let tenantIDs = handledHere.tenants(of: runID)
        guard !tenantIDs.isEmpty else { return }
        cancelled.cancelNotOpenedHere(runID)
        for tenantID in tenantIDs {
            _ = await fleet.controller(for: tenantID)?.cancelRun(runID, reason: Self.cancelReason)
        }
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
}
