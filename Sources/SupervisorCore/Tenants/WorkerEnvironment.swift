/// What every tenant's worker is started with.
struct WorkerEnvironment: Sendable {
    /// Path of the `tenantsync-worker` executable.
    var executable: String
    /// Database URL handed to workers in `hello`.
    var databaseURL: String
    /// A URL for a role subject to row-level security; workers get it instead of ``databaseURL`` when set.
    var workerDatabaseURL: String? = nil
    /// Issues each worker a database role of its own; `nil` gives workers ``workerDatabaseURL`` (or ``databaseURL``).
    var credentials: WorkerCredentialIssuer? = nil
    /// Seconds between heartbeats.
    var heartbeatInterval: Double
    /// Seconds a worker gets to exit after `shutdown`.
    var shutdownGracePeriod: Double
    /// Extra environment variables for workers (tests use it to select behaviour).
    var extraEnvironment: [String: String] = [:]
    /// Restart and liveness settings for every tenant; a tenant's own settings win.
    var supervision: SupervisionSettings?
    /// Where every tenant's log lines go; memory-only unless the supervisor gives it a directory.
    var logStore = TenantLogStore(directory: nil)
    /// The tenants this supervisor holds leases on; a worker runs only for those. `nil` runs every
    /// enabled tenant (a fleet without a lease manager, as in unit tests).
    var leases: LeaseTable? = nil
    /// Each tenant's worker alive now, which the lease fence kills from its own thread.
    var liveWorkers = LiveWorkerProcesses()
    /// Whether the database answers; a sync that lost its database waits for it before its retry.
    /// `nil` retries at once.
    var databaseReachable: (@Sendable () async -> Bool)? = nil
    /// Where workers' restarts, exits and CPU use are counted; `nil` counts nothing.
    var metrics: SupervisorMetrics? = nil
    /// The sync slots, asked why a tenant waits; `nil` shows no reason.
    var slots: SyncSlots? = nil
    /// Every tenant's schedule and when it fires next, for status displays; the fleet and the scheduler write it.
    var schedules = ScheduleBook()
}
