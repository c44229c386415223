import Foundation
import IPC

/// Syncs: one at a time per tenant, joined when identical, retried after a crash, counted per attempt.
extension TenantWorkerController {
    /// Runs one sync on this tenant's worker and reports how it ended; never throws.
    ///
    /// A tenant never runs two syncs at once. A request identical to the sync in hand (but for its
    /// run id) joins it: it gets the same outcome under its own run id, and the log says so. Any
    /// other request (say `full` while an incremental sync runs) waits for the sync in hand to end,
    /// however long it takes, then runs with its own options.
    ///
    /// Once it is this request's turn, it waits up to the policy's `readyTimeout` for the worker to
    /// become ready. If the worker dies during the run, the sync is retried on the restarted worker
    /// as often as `syncRetries` allows; the report then counts every attempt and what each committed.
    ///
    /// - Parameter cancelReason: why the request's run was cancelled, or `nil` while it is not; asked
    ///   while the request waits, and once its sync is in the worker's hands.
    func sync(
        _ command: SyncCommand, cancelReason: @escaping @Sendable () -> String? = { nil },
        onProgress: @escaping @Sendable (SyncProgress) -> Void
    ) async -> TenantSyncReport {
        var announced = false
        decide: while true {
            switch handOff.request(command, shuttingDown: shuttingDown, cancelReason: cancelReason()) {
            case .start:
                break decide
            case .join(let activeRunID):
                note("sync request joins the run in progress", runID: command.runID, other: ("sync.joined_run_id", activeRunID))
                var report = await withCheckedContinuation { joiners.append($0) }
                report.result.runID = command.runID
                return report
            case .refuse(let status, let error):
                return SyncAttempts().result(runID: command.runID, status: status, error: error)
            case .wait(let activeRunID):
                if !announced {
                    announced = true
                    note("sync request waits for the sync in hand to end: its options differ", runID: command.runID, other: ("sync.waits_for_run_id", activeRunID))
                }
                await waitForChange()
            }
        }
        attempts = SyncAttempts()
        let report = await syncWithRetries(command, cancelReason: cancelReason, onProgress: onProgress)
        handOff.end()
        let waiting = joiners
        joiners.removeAll()
        for joiner in waiting { joiner.resume(returning: report) }
        // Requests with other options waiting for this sync to end may go now.
        wakeWaiters()
        return report
    }

    /// Logs what became of a sync request, in the supervisor's log and the tenant's, with both run ids.
    private func note(_ message: String, runID: String, other: (key: String, runID: String)) {
        logger.info("\(message)", metadata: ["sync.run_id": "\(runID)", "\(other.key)": "\(other.runID)"])
        environment.logStore.supervisorEvent(tenant: tenant, pid: process?.pid, message: "\(message) (run \(runID), \(other.key) \(other.runID))")
    }

    private func syncWithRetries(
        _ command: SyncCommand, cancelReason: @escaping @Sendable () -> String?, onProgress: @escaping @Sendable (SyncProgress) -> Void
    ) async -> TenantSyncReport {
        let readyTimeout = lifecycle.policy.readyTimeout
        while true {
            let before = attempts.count
            let outcome = await syncOnce(command, readyTimeout: readyTimeout, cancelReason: cancelReason, onProgress: onProgress)
            let handedOver = attempts.count > before
            switch outcome {
            case .finished(let result):
                attempts.end(with: result)
                return attempts.result(runID: command.runID, status: result.status, error: result.error)
            case .failed(let message):
                let retries = handOff.retries
                handOff.failed()
                let error = retries == 0 ? message : "\(message) (after \(retries) retry)"
                if handedOver { attempts.abandon(because: error, order: streams) }
                return attempts.result(runID: command.runID, status: .failed, error: error)
            case .lostDatabase(let result):
                attempts.end(with: result)
                let error = result.error ?? "the database went away"
                switch handOff.workerCrashed(allowedRetries: lifecycle.policy.syncRetries, shuttingDown: shuttingDown) {
                case .giveUp(let retries):
                    let suffix = retries == 0 ? "" : " (after \(retries) retries)"
                    return attempts.result(runID: command.runID, status: .failed, error: error + suffix)
                case .retry(let retry):
                    logger.warning("the sync lost its database; retrying once it answers", metadata: [
                        "sync.run_id": "\(command.runID)", "sync.retry": "\(retry)", "error": "\(error)",
                    ])
                    await waitForDatabase(until: .now + readyTimeout)
                }
            case .crashed(let message):
                switch handOff.workerCrashed(allowedRetries: lifecycle.policy.syncRetries, shuttingDown: shuttingDown) {
                case .giveUp(let retries):
                    let suffix = retries == 0 ? "" : " (after \(retries) retries)"
                    logger.error("sync failed: worker crashed", metadata: ["sync.run_id": "\(command.runID)", "error": "\(message)\(suffix)"])
                    attempts.abandon(because: message + suffix, order: streams)
                    return attempts.result(runID: command.runID, status: .failed, error: message + suffix)
                case .retry(let retry):
                    attempts.abandon(because: message, order: streams)
                    logger.warning("worker crashed during the sync; retrying after restart", metadata: [
                        "sync.run_id": "\(command.runID)", "sync.retry": "\(retry)", "error": "\(message)",
                    ])
                }
            }
        }
    }

    /// Hands the sync to the worker once it is ready and waits for its end. A new attempt is
    /// counted in ``attempts`` when (and only when) the worker gets the sync.
    private func syncOnce(
        _ command: SyncCommand, readyTimeout: Duration, cancelReason: @Sendable () -> String?,
        onProgress: @escaping @Sendable (SyncProgress) -> Void
    ) async -> SyncOutcome {
        let deadline = ContinuousClock.now + readyTimeout
        // A worker that sent `fatal` is about to exit: wait for its successor (or for `errored`).
        while lifecycle.state != .ready || lastFatal != nil {
            if lifecycle.state == .errored || shuttingDown || (supervising && lifecycle.state == .stopped) {
                return .failed("worker is \(lifecycle.state.rawValue)\(lifecycle.lastError.map { ": \($0)" } ?? "")")
            }
            if ContinuousClock.now >= deadline {
                return .failed("worker did not become ready within \(readyTimeout.formatted()) (state \(lifecycle.state.rawValue))")
            }
            await waitForChange(until: deadline)
        }
        guard let process else { return .failed("worker is gone") }
        _ = apply(.syncStarted(runID: command.runID))
        currentRunID = command.runID
        lastProgressAt = .now
        return await withCheckedContinuation { continuation in
            pendingRun = (continuation, onProgress)
            _ = handOff.handedOver()
            guard process.send(.sync(command)) else {
                pendingRun = nil
                currentRunID = nil
                handOff.handOverFailed()
                continuation.resume(returning: .failed("worker's input is closed"))
                return
            }
            attempts.begin()
            // A cancel that came while this request waited (``cancelRun`` found no sync of its run
            // in hand then) still stops it: the worker cancels a run it has not started yet.
            if let reason = cancelReason() {
                process.send(.cancel(CancelRun(runID: command.runID, reason: reason)))
            }
        }
    }
}
