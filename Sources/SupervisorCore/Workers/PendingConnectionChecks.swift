import IPC

/// How a connection test asked of a worker ended: its answer, or why there was none.
enum ConnectionCheckOutcome: Sendable, Equatable {
    /// The worker ran the test and said what it found.
    case answered(ConnectionCheckResult)
    /// No test ran: the worker is not there, not ready, exited or did not answer in time.
    case unavailable(String)
}

/// Connection tests sent to a worker and not answered yet, by check id, each with whoever waits for it.
struct PendingConnectionChecks: Sendable {
    private var waiting: [String: CheckedContinuation<ConnectionCheckOutcome, Never>] = [:]

    mutating func add(_ checkID: String, _ continuation: CheckedContinuation<ConnectionCheckOutcome, Never>) {
        waiting[checkID] = continuation
    }

    /// Hands `result` to whoever waits for it; `false` for a check nobody waits for (answered too late).
    @discardableResult
    mutating func finish(_ result: ConnectionCheckResult) -> Bool {
        guard let continuation = waiting.removeValue(forKey: result.checkID) else { return false }
        continuation.resume(returning: .answered(result))
        return true
    }

    /// Ends the wait for `checkID`, if still waiting, with `reason`.
    mutating func fail(_ checkID: String, reason: String) {
        waiting.removeValue(forKey: checkID)?.resume(returning: .unavailable(reason))
    }

    /// Ends every wait with `reason` (the worker exited).
    mutating func failAll(reason: String) {
        let all = waiting
        waiting = [:]
        for continuation in all.values { continuation.resume(returning: .unavailable(reason)) }
    }
}
