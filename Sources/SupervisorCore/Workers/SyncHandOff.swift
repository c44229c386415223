import IPC

/// The sync hand-off of one tenant, as a state machine without I/O: which sync the tenant is running,
/// whether a new request joins it or waits, and whether a sync whose worker died is retried.
///
/// A request joins only a sync that started after it arrived, so whatever it was asked for reads
/// every change made upstream before the request: one that finds a sync already fetching waits for
/// it to end, and the requests that waited together with the same options then share one new sync.
/// An automation that asks on every upstream change thus never gets a result that missed its change.
///
/// ``TenantSyncQueue`` feeds it what happens and does what it answers; the continuations of
/// waiting callers stay in the actor. Which worker process has the sync, and its result, are the
/// worker session's (``WorkerSession``, matched by run id).
struct SyncHandOff: Sendable, Equatable {
    /// The sync the tenant is running (waiting for its worker, in the worker's hands, or ending), if any.
    private(set) var active: SyncCommand?
    /// Restarts the active sync has had after its worker died (or it lost its database).
    private(set) var retries = 0
    /// Syncs started so far; the active one is number `startedCount`. A request remembers the count it
    /// arrived at (``arrival``), and a sync numbered above it started after the request.
    private(set) var startedCount = 0

    /// What a request arriving now remembers: any sync it may join must be numbered above this.
    var arrival: Int { startedCount }

    /// What a new sync request does.
    enum Decision: Sendable, Equatable {
        /// The tenant is free: this request's sync is now the active one.
        case start
        /// The active sync has the same options and started after the request arrived: the request
        /// shares its outcome.
        case join(activeRunID: String)
        /// The active sync has other options, or started before the request arrived: the request waits
        /// for it to end, then asks again.
        case wait(activeRunID: String, sameOptions: Bool)
        /// The request cannot wait (shutting down, or its run was cancelled meanwhile).
        case refuse(RunResult.Status, error: String)
    }

    /// Decides what `command`, which arrived when ``arrival`` was `arrival`, does; `.start` makes it the
    /// active sync.
    mutating func request(_ command: SyncCommand, arrival: Int, shuttingDown: Bool, cancelReason: String?) -> Decision {
        guard let active else {
            self.active = command
            retries = 0
            startedCount += 1
            return .start
        }
        var same = command
        same.runID = active.runID
        let sameOptions = same == active
        if sameOptions, startedCount > arrival { return .join(activeRunID: active.runID) }
        if shuttingDown { return .refuse(.failed, error: "supervisor shutting down") }
        if let cancelReason { return .refuse(.cancelled, error: "run cancelled: \(cancelReason)") }
        return .wait(activeRunID: active.runID, sameOptions: sameOptions)
    }

    /// What becomes of a sync whose worker died under it.
    enum AfterCrash: Sendable, Equatable {
        /// The restarted worker gets it again; `retry` counts from 1.
        case retry(Int)
        /// No more retries: it fails after `retries` of them.
        case giveUp(retries: Int)
    }

    /// The worker died during the active sync, or the sync lost its database (a retry can fix both):
    /// retried while `allowedRetries` allow and the supervisor is not shutting down, else given up.
    mutating func workerCrashed(allowedRetries: Int, shuttingDown: Bool) -> AfterCrash {
        guard active != nil, retries < allowedRetries, !shuttingDown else { return .giveUp(retries: retries) }
        retries += 1
        return .retry(retries)
    }

    /// The caller has reported the outcome: the tenant is free for the next request.
    mutating func end() {
        active = nil
        retries = 0
    }
}
