/// The connector's connection test, run by the tenant's worker with the settings it was started with.
extension TenantWorkerController {
    /// Asks the ready worker to test its connection and waits up to `timeout` for the answer.
    func checkConnection(timeout: Duration) async -> ConnectionCheckOutcome {
        guard [.ready, .syncing].contains(lifecycle.state), session?.fatal == nil, let process else {
            return .unavailable("the worker is \(lifecycle.state.rawValue)\(lifecycle.lastError.map { ": \($0)" } ?? "")")
        }
        return await connectionChecks.check(on: process, timeout: timeout)
    }
}
