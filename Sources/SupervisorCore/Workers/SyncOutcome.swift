import IPC

/// How a sync handed to a tenant's worker ended, as ``TenantWorkerController`` reports it to the
/// retry loop of its sync requests.
enum SyncOutcome: Sendable {
    case finished(RunResult)
    /// The worker died during the sync and will be restarted; the sync may be retried.
    case crashed(String)
    /// The worker's sync failed because its database went away (the worker itself is fine); the
    /// sync may be retried like after a crash, once the database answers again.
    case lostDatabase(RunResult)
    /// The sync cannot run (worker stopped, errored, not ready in time, shutting down).
    case failed(String)
}
