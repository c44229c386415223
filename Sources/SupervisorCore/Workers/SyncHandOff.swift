import IPC

/// The sync hand-off of one tenant, as a state machine without I/O: which sync the tenant is running,
/// whether the worker has it, whether a new request joins it or waits, and whether a sync whose
/// worker died is retried.
///
/// ``TenantSyncQueue`` feeds it what happens and does what it answers; the continuations of
/// waiting callers stay in the actor. An event that makes no sense in the current state (a result
/// for a run the worker was not given) is answered as such, so the caller can log it.
struct SyncHandOff: Sendable, Equatable {
    enum State: Sendable, Equatable {
        /// No sync: the next request starts one.
        case idle
        /// A sync is active but its worker does not have it (not ready yet, or restarting after a
        /// crash); `retries` counts the restarts it has had.
        case waitingForWorker(SyncCommand, retries: Int)
        /// The worker has the sync and its result is awaited.
        case inWorker(SyncCommand, retries: Int)
        /// The result arrived or the sync was given up; the caller is ending it.
        case ending(SyncCommand)
    }

    private(set) var state = State.idle

    /// What a new sync request does.
    enum Decision: Sendable, Equatable {
        /// The tenant is free: this request's sync is now the active one.
        case start
        /// The active sync has the same options: the request shares its outcome.
        case join(activeRunID: String)
        /// The active sync has other options: the request waits for it to end, then asks again.
        case wait(activeRunID: String)
        /// The request cannot wait (shutting down, or its run was cancelled meanwhile).
        case refuse(RunResult.Status, error: String)
    }

    /// Decides what `command` does; `.start` makes it the active sync.
    mutating func request(_ command: SyncCommand, shuttingDown: Bool, cancelReason: String?) -> Decision {
        guard let active else {
            state = .waitingForWorker(command, retries: 0)
            return .start
        }
        var same = command
        same.runID = active.runID
        if same == active { return .join(activeRunID: active.runID) }
        if shuttingDown { return .refuse(.failed, error: "supervisor shutting down") }
        if let cancelReason { return .refuse(.cancelled, error: "run cancelled: \(cancelReason)") }
        return .wait(activeRunID: active.runID)
    }

    /// The sync the tenant is running, whoever holds it.
    var active: SyncCommand? {
        switch state {
        case .idle: nil
        case .waitingForWorker(let command, _), .inWorker(let command, _), .ending(let command): command
        }
    }

    /// The run the worker is syncing now, if any.
    var runInWorker: String? {
        if case .inWorker(let command, _) = state { command.runID } else { nil }
    }

    /// Restarts the active sync has had after its worker died.
    var retries: Int {
        switch state {
        case .waitingForWorker(_, let retries), .inWorker(_, let retries): retries
        case .idle, .ending: 0
        }
    }

    /// The worker accepted the active sync. False, changing nothing, when no sync waits for a worker.
    mutating func handedOver() -> Bool {
        guard case .waitingForWorker(let command, let retries) = state else { return false }
        state = .inWorker(command, retries: retries)
        return true
    }

    /// The worker could not take the sync it was just handed (its input closed).
    mutating func handOverFailed() {
        if case .inWorker(let command, let retries) = state { state = .waitingForWorker(command, retries: retries) }
    }

    /// The worker sent the result of `runID`: true when that is the sync it has, which then ends.
    mutating func resultArrived(runID: String) -> Bool {
        guard case .inWorker(let command, _) = state, command.runID == runID else { return false }
        state = .ending(command)
        return true
    }

    /// What becomes of a sync whose worker died under it.
    enum AfterCrash: Sendable, Equatable {
        /// The restarted worker gets it again; `retry` counts from 1.
        case retry(Int)
        /// No more retries: it fails after `retries` of them.
        case giveUp(retries: Int)
    }

    /// The worker died during the sync it had, or the sync lost its database (a retry can fix both):
    /// retried while `allowedRetries` allow and the supervisor is not shutting down, else given up.
    mutating func workerCrashed(allowedRetries: Int, shuttingDown: Bool) -> AfterCrash {
        guard let command = active else { return .giveUp(retries: 0) }
        let retries = self.retries
        guard retries < allowedRetries, !shuttingDown else {
            state = .ending(command)
            return .giveUp(retries: retries)
        }
        state = .waitingForWorker(command, retries: retries + 1)
        return .retry(retries + 1)
    }

    /// The sync cannot run at all (the worker stopped, errored or never became ready).
    mutating func failed() {
        if let command = active { state = .ending(command) }
    }

    /// The caller has reported the outcome: the tenant is free for the next request.
    mutating func end() {
        state = .idle
    }
}
