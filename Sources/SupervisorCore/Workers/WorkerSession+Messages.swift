import IPC

/// What the worker's messages mean for the session, before its controller acts on them.
extension WorkerSession {
    /// What a message asks of the controller.
    enum Reaction: Sendable {
        /// Nothing beyond the bookkeeping done here.
        case none
        /// The worker speaks another protocol version: nothing it says can be trusted; `cause` says why.
        case refuse(cause: String)
        /// The worker is ready to sync these streams, in this order.
        case ready(streams: [String], detail: String)
        /// The worker reported a fatal error and is about to exit.
        case fatal(Fatal)
        /// The sync in hand ended with `result`; `run` waits for `outcome`.
        case syncEnded(SyncInHand, RunResult, outcome: SyncOutcome)
        /// A result for a run the worker was not given.
        case strayResult(runID: String)
        /// The answer to a connection test (`check`).
        case checkResult(ConnectionCheckResult)
    }

    /// Records `message` (heard, progress, fatal error, the end of the sync in hand) and says what the
    /// controller must do about it.
    mutating func receive(_ message: WorkerMessage, at now: ContinuousClock.Instant) -> Reaction {
        heard(at: now)
        switch message {
        case .ready(let ready) where ready.protocolVersion != ProtocolVersion.current:
            return .refuse(cause: "protocol mismatch: worker \(ready.pid) (version \(ready.version)) speaks protocol \(ready.protocolVersion), this supervisor speaks \(ProtocolVersion.current)")
        case .ready(let ready):
            return .ready(streams: ready.streams, detail: "worker \(ready.pid) ready (version \(ready.version))")
        case .fatal(let fatal):
            reported(fatal)
            return .fatal(fatal)
        case .progress(let progress):
            progressed(progress, at: now)?.onProgress(progress)
            return .none
        case .result(let result):
            guard let run = finish(with: result) else { return .strayResult(runID: result.runID) }
            // A sync that lost its database may be retried (see ``TenantSyncQueue``).
            let lostDatabase = result.status == .failed && result.errorKind == .database
            return .syncEnded(run, result, outcome: lostDatabase ? .lostDatabase(result) : .finished(result))
        case .checkResult(let result):
            return .checkResult(result)
        case .log, .heartbeat:
            // Log lines are stored on the thread that reads the worker's stdout, never through here.
            return .none
        }
    }
}
