import Foundation
import IPC
import Support

/// The connector's connection tests asked of a tenant's workers: each sent as a `check` with an id of
/// its own and waited for until its answer comes, the worker exits or the time is up.
///
/// Answers come from the controller, which reads the worker's messages (``answer(_:)``); a wait ends
/// from whichever task sees its end first, so the tests not answered yet are kept under a lock.
final class WorkerConnectionChecks: Sendable {
    private let pending = LockedValue(PendingConnectionChecks())

    /// Asks `process` to test its connection and waits up to `timeout` for the answer.
    func check(on process: WorkerProcess, timeout: Duration) async -> ConnectionCheckOutcome {
        let checkID = "chk_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        return await withTaskGroup(of: ConnectionCheckOutcome?.self) { group in
            group.addTask { await self.send(checkID, to: process) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                if Task.isCancelled { return nil }
                self.fail(checkID, reason: "the worker did not answer within \(timeout.formatted())")
                return nil
            }
            var outcome = ConnectionCheckOutcome.unavailable("no answer")
            for await result in group {
                if let result {
                    outcome = result
                    group.cancelAll()
                }
            }
            return outcome
        }
    }

    /// Hands `result` to whoever waits for it; `false` for a test nobody waits for (answered too late).
    func answer(_ result: ConnectionCheckResult) -> Bool {
        pending.withLock { $0.finish(result) }
    }

    /// Ends every wait with `reason` (the worker exited).
    func failAll(reason: String) {
        pending.withLock { $0.failAll(reason: reason) }
    }

    private func send(_ checkID: String, to process: WorkerProcess) async -> ConnectionCheckOutcome {
        await withCheckedContinuation { continuation in
            pending.withLock { $0.add(checkID, continuation) }
            if !process.send(.check(CheckConnection(checkID: checkID))) {
                fail(checkID, reason: "the worker's input is closed")
            }
        }
    }

    private func fail(_ checkID: String, reason: String) {
        pending.withLock { $0.fail(checkID, reason: reason) }
    }
}
