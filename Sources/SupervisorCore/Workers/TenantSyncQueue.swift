import IPC
import Logging
import Support

/// The sync requests of one tenant: one sync at a time, identical requests joined, others waiting
/// their turn, a sync retried on the restarted worker after a crash, and every attempt counted.
///
/// The decisions are ``SyncHandOff``'s, a state machine without I/O; this actor keeps the waiting
/// callers and drives the tenant's ``TenantWorkerController``, which hands each attempt to its
/// worker process and reports how it ended.
actor TenantSyncQueue {
    private let tenant: TenantConfiguration
    private let logger: Logger
    private let logStore: TenantLogStore
    /// Whether the database answers; a sync that lost its database waits for it before its retry.
    /// `nil` retries at once.
    private let databaseReachable: (@Sendable () async -> Bool)?
    private var handOff = SyncHandOff()
    /// Requests that joined the active sync.
    private var joiners: [CheckedContinuation<TenantSyncReport, Never>] = []
    /// Requests with other options, waiting for the active sync to end (or for their run's cancel).
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(tenant: TenantConfiguration, logger: Logger, logStore: TenantLogStore, databaseReachable: (@Sendable () async -> Bool)?) {
        self.databaseReachable = databaseReachable
        self.tenant = tenant
        self.logger = logger
        self.logStore = logStore
    }

    /// Runs one sync on `worker` and reports how it ended; never throws.
    ///
    /// A tenant never runs two syncs at once. A request that finds a sync in hand waits for it to end,
    /// however long it takes, then runs with its own options; the requests that waited for the same sync
    /// with the same options share the one that follows (the first starts it, the others join it under
    /// their own run ids, and the log says so). A request joins only a sync that started after it
    /// arrived (``SyncHandOff``), so its outcome covers every upstream change made before the request.
    ///
    /// Once it is this request's turn, it waits up to the policy's `readyTimeout` for the worker to
    /// become ready. If the worker dies during the run, the sync is retried on the restarted worker
    /// as often as `syncRetries` allows; the report then counts every attempt and what each committed.
    ///
    /// - Parameters:
    ///   - cancelReason: why the request's run was cancelled, or `nil` while it is not; asked while the
    ///     request waits, and once its sync is in the worker's hands.
    ///   - onStart: called once the request's sync has started (its own, or the one it joined), never
    ///     while it waits.
    func sync(
        _ command: SyncCommand, on worker: TenantWorkerController, cancelReason: @escaping @Sendable () -> String?,
        onStart: @Sendable () -> Void = {}, onProgress: @escaping @Sendable (SyncProgress) -> Void
    ) async -> TenantSyncReport {
        var announced = false
        let arrival = handOff.arrival
        decide: while true {
            let shuttingDown = await worker.shuttingDown
            switch handOff.request(command, arrival: arrival, shuttingDown: shuttingDown, cancelReason: cancelReason()) {
            case .start:
                onStart()
                break decide
            case .join(let activeRunID):
                onStart()
                await note("sync request joins the run in progress", runID: command.runID, other: ("sync.joined_run_id", activeRunID), worker)
                var report = await withCheckedContinuation { joiners.append($0) }
                report.result.runID = command.runID
                return report
            case .refuse(let status, let error):
                return SyncAttempts().result(runID: command.runID, status: status, error: error)
            case .wait(let activeRunID, let sameOptions):
                if !announced {
                    announced = true
                    let why = sameOptions ? "it started before this request" : "its options differ"
                    await note("sync request waits for the sync in hand to end: \(why)", runID: command.runID, other: ("sync.waits_for_run_id", activeRunID), worker)
                }
                await withCheckedContinuation { waiting.append($0) }
            }
        }
        let report = await syncWithRetries(command, on: worker, cancelReason: cancelReason, onProgress: onProgress)
        handOff.end()
        let joined = joiners
        joiners.removeAll()
        for joiner in joined { joiner.resume(returning: report) }
        // Requests with other options waiting for this sync to end may go now.
        wakeWaiting()
        return report
    }

    /// Wakes the waiting requests, to look again at their run (cancelled?) and the supervisor (shutting down?).
    func wakeWaiting() {
        let woken = waiting
        waiting.removeAll()
        for waiter in woken { waiter.resume() }
    }

    /// Logs what became of a sync request, in the supervisor's log and the tenant's, with both run ids.
    private func note(_ message: String, runID: String, other: (key: String, runID: String), _ worker: TenantWorkerController) async {
        logger.info("\(message)", metadata: ["sync.run_id": "\(runID)", "\(other.key)": "\(other.runID)"])
        let pid = await worker.process?.pid
        logStore.supervisorEvent(tenant: tenant, pid: pid, message: "\(message) (run \(runID), \(other.key) \(other.runID))")
    }

    private func syncWithRetries(
        _ command: SyncCommand, on worker: TenantWorkerController, cancelReason: @escaping @Sendable () -> String?,
        onProgress: @escaping @Sendable (SyncProgress) -> Void
    ) async -> TenantSyncReport {
        let attempts = LockedValue(SyncAttempts())
        let policy = await worker.lifecycle.policy
        func result(_ status: RunResult.Status, _ error: String?) -> TenantSyncReport {
            attempts.withLock { $0.result(runID: command.runID, status: status, error: error) }
        }
        while true {
            let before = attempts.withLock { $0.count }
            let outcome = await worker.runSync(
                command, readyTimeout: policy.readyTimeout, attempts: attempts, cancelReason: cancelReason, onProgress: onProgress
            )
            let handedOver = attempts.withLock { $0.count } > before
            switch outcome {
            case .finished(let finished):
                attempts.withLock { $0.end(with: finished) }
                return result(finished.status, finished.error)
            case .failed(let message):
                let retries = handOff.retries
                let error = retries == 0 ? message : "\(message) (after \(retries) retry)"
                if handedOver {
                    let order = await worker.streams
                    attempts.withLock { $0.abandon(because: error, order: order) }
                }
                return result(.failed, error)
            case .lostDatabase(let failed):
                attempts.withLock { $0.end(with: failed) }
                let error = failed.error ?? "the database went away"
                switch handOff.workerCrashed(allowedRetries: policy.syncRetries, shuttingDown: await worker.shuttingDown) {
                case .giveUp(let retries):
                    return result(.failed, error + (retries == 0 ? "" : " (after \(retries) retries)"))
                case .retry(let retry):
                    logger.warning("the sync lost its database; retrying once it answers", metadata: [
                        "sync.run_id": "\(command.runID)", "sync.retry": "\(retry)", "error": "\(error)",
                    ])
                    await waitForDatabase(until: .now + policy.readyTimeout, worker)
                }
            case .crashed(let message):
                let order = await worker.streams
                switch handOff.workerCrashed(allowedRetries: policy.syncRetries, shuttingDown: await worker.shuttingDown) {
                case .giveUp(let retries):
                    let suffix = retries == 0 ? "" : " (after \(retries) retries)"
                    logger.error("sync failed: worker crashed", metadata: ["sync.run_id": "\(command.runID)", "error": "\(message)\(suffix)"])
                    attempts.withLock { $0.abandon(because: message + suffix, order: order) }
                    return result(.failed, message + suffix)
                case .retry(let retry):
                    attempts.withLock { $0.abandon(because: message, order: order) }
                    logger.warning("worker crashed during the sync; retrying after restart", metadata: [
                        "sync.run_id": "\(command.runID)", "sync.retry": "\(retry)", "error": "\(message)",
                    ])
                }
            }
        }
    }

    /// Waits, with backoff from 100 ms to 2 s between looks, until the database answers, the
    /// deadline passes or the supervisor shuts down; returns at once without a way to look.
    private func waitForDatabase(until deadline: ContinuousClock.Instant, _ worker: TenantWorkerController) async {
        guard let databaseReachable else { return }
        var backoff = ExponentialBackoff(initial: .milliseconds(100), maximum: .seconds(2))
        while await !worker.shuttingDown {
            if await databaseReachable() { return }
            let left = deadline - .now
            guard left > .zero else { return }
            try? await Task.sleep(for: min(backoff.next(), left))
        }
    }
}
