import IPC
import Support

/// The latest progress of every running tenant, by run; kept in memory only.
final class LiveProgress: Sendable {
    private let byRun = LockedValue<[String: [String: SyncProgress]]>([:])

    func record(_ progress: SyncProgress, tenantID: String) {
        byRun.withLock { $0[progress.runID, default: [:]][tenantID] = progress }
    }

    func progress(of runID: String) -> [String: SyncProgress] {
        byRun.withLock { $0[runID] ?? [:] }
    }

    func forget(_ runID: String) {
        _ = byRun.withLock { $0.removeValue(forKey: runID) }
    }
}
