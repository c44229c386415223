import Foundation
import IPC

/// The connector's connection test, run by the tenant's worker with the settings it was started with.
extension TenantWorkerController {
    /// Asks the ready worker to test its connection and waits up to `timeout` for the answer.
    func checkConnection(timeout: Duration) async -> ConnectionCheckOutcome {
        guard [.ready, .syncing].contains(lifecycle.state), session?.fatal == nil, let process else {
            return .unavailable("the worker is \(lifecycle.state.rawValue)\(lifecycle.lastError.map { ": \($0)" } ?? "")")
        }
        let checkID = "chk_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        return await withTaskGroup(of: ConnectionCheckOutcome?.self) { group in
            group.addTask { await self.sendCheck(checkID, to: process) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                if Task.isCancelled { return nil }
                await self.giveUpCheck(checkID, reason: "the worker did not answer within \(timeout.formatted())")
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

    private func sendCheck(_ checkID: String, to process: WorkerProcess) async -> ConnectionCheckOutcome {
        await withCheckedContinuation { continuation in
            connectionChecks.add(checkID, continuation)
            if !process.send(.check(CheckConnection(checkID: checkID))) {
                connectionChecks.fail(checkID, reason: "the worker's input is closed")
            }
        }
    }

    private func giveUpCheck(_ checkID: String, reason: String) {
        connectionChecks.fail(checkID, reason: reason)
    }
}
