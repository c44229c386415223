import Foundation
import IPC
import Support

/// What a tenant's status shows of its workers beyond the process alive now: the streams the last
/// ready worker syncs, the last exit, how the last sync ended and the run being synced.
///
/// ``TenantWorkerController`` keeps it across restarts. The run being synced is also read on the thread
/// that reads the worker's stderr (its lines are tagged with it), so it is kept under a lock.
struct WorkerRecord: Sendable {
    var streams: [String] = []
    var lastExit: WorkerExit?
    private(set) var lastSync: TenantStatus.LastSync?
    /// ``currentRunID`` under its lock, for the stderr reader.
    let runIDBox = LockedValue<String?>(nil)

    /// The run the worker is syncing, if any.
    var currentRunID: String? {
        get { runIDBox.withLock { $0 } }
        nonmutating set { runIDBox.withLock { $0 = newValue } }
    }

    /// The sync in hand ended with `result`.
    mutating func syncEnded(_ result: RunResult) {
        currentRunID = nil
        lastSync = TenantStatus.LastSync(
            runID: result.runID, status: result.status.rawValue, finishedAt: Date().formatted(.iso8601),
            counts: result.totals, error: result.error
        )
    }

    /// A snapshot for status displays of `tenant`, whose worker is in `lifecycle` and, while a process
    /// lives, `session`; the environment adds what it knows (``WorkerEnvironment/complete(_:of:workerRunsHere:)``).
    func status(of tenant: TenantConfiguration, lifecycle: WorkerLifecycle, session: WorkerSession?, badLines: Int) -> TenantStatus {
        TenantStatus(
            id: tenant.id,
            connector: tenant.connector,
            enabled: tenant.enabled,
            state: TenantState(lifecycle.state),
            stateCause: lifecycle.cause,
            pid: session?.pid,
            restarts: lifecycle.restarts,
            streams: streams,
            uptimeSeconds: session == nil ? nil : lifecycle.startedAt.map { (ContinuousClock.now - $0).seconds },
            cpuPercent: session?.cpuPercent,
            rssBytes: session?.sample?.residentBytes,
            currentRunID: currentRunID,
            progress: session?.latestProgress,
            lastSync: lastSync,
            lastExit: lastExit?.description,
            lastError: lifecycle.lastError,
            badLines: badLines
        )
    }
}
