/// The name of every series the supervisor exports, in Prometheus conventions: `tenantsync_` first,
/// base units (seconds, bytes) in the name, `_total` on counters.
///
/// Labels stay bounded: `tenant` only where an operator looks at one tenant (worker health, rows,
/// log lines), never a run id; a removed tenant's series are destroyed (``SupervisorMetrics/forgetTenant(_:)``).
enum MetricName {
    // Workers, per tenant.
    /// Gauge, one series per state (`tenant`, `state`): 1 for the tenant's current state, 0 for the others.
    static let workerState = "tenantsync_worker_state"
    /// Counter (`tenant`): restarts the restart policy made after an unexpected exit.
    static let workerRestarts = "tenantsync_worker_restarts_total"
    /// Counter (`tenant`, `cause`): worker processes that ended, by ``WorkerExitCause``.
    static let workerExits = "tenantsync_worker_exits_total"
    /// Gauge (`tenant`): resident memory of the running worker, 0 when none runs.
    static let workerResidentMemory = "tenantsync_worker_resident_memory_bytes"
    /// Counter (`tenant`): CPU time (user and system) the tenant's workers used, across restarts.
    static let workerCPU = "tenantsync_worker_cpu_seconds_total"

    // Syncs and runs.
    /// Histogram (`status`): wall time of one tenant's sync, as its worker measured it.
    static let syncDuration = "tenantsync_sync_duration_seconds"
    /// Counter (`tenant`, `status`): tenant syncs ended by this supervisor.
    static let tenantSyncs = "tenantsync_tenant_syncs_total"
    /// Counter (`tenant`, `stream`, `outcome`): records a sync `created`, `updated`, left `unchanged`,
    /// `rejected` or marked `deleted`.
    static let rows = "tenantsync_rows_total"
    /// Counter (`trigger`, `status`): runs this supervisor ended, by what started them and how they ended.
    static let runs = "tenantsync_runs_total"
    /// Gauge: tenants of runs waiting here for a sync slot.
    static let tenantsQueued = "tenantsync_tenants_queued"
    /// Gauge: tenants syncing here (holding a sync slot).
    static let tenantsSyncing = "tenantsync_tenants_syncing"
    /// Histogram: how long a tenant of a run waited for a sync slot.
    static let queueWait = "tenantsync_queue_wait_seconds"

    // Callbacks.
    /// Counter (`outcome`): deliveries that reached a final state, `delivered`, `failed` or `disabled`.
    static let callbackDeliveries = "tenantsync_callback_deliveries_total"
    /// Counter (`outcome`): attempts to send a callback: `success`, `gone` (410), `http_error`, `network_error`.
    static let callbackAttempts = "tenantsync_callback_attempts_total"
    /// Gauge: callbacks waiting in the outbox (shared by every supervisor on the database).
    static let callbackOutboxDepth = "tenantsync_callback_outbox_depth"
    /// Gauge: age of the oldest callback not yet delivered, 0 when the outbox is empty.
    static let callbackOldestUndeliveredAge = "tenantsync_callback_oldest_undelivered_age_seconds"

    // Logs and leases.
    /// Counter (`tenant`): log lines the tenant's log store accepted.
    static let logLinesStored = "tenantsync_log_lines_stored_total"
    /// Counter (`tenant`, `reason`): log lines lost, `followers` (a follower fell behind) or `files` (the disk did).
    static let logLinesDropped = "tenantsync_log_lines_dropped_total"
    /// Gauge: tenant leases this supervisor holds.
    static let leasesHeld = "tenantsync_leases_held"

    // HTTP, recorded by Hummingbird's `MetricsMiddleware` and renamed by ``HTTPMetricNames``.
    /// Counter (`route`, `method`, `status`): requests answered; `route` is the route's pattern.
    static let httpRequests = "tenantsync_http_requests_total"
    /// Histogram (`route`, `method`, `status`): time to answer a request.
    static let httpRequestDuration = "tenantsync_http_request_duration_seconds"
    /// Counter (`route`, `method`, `status`): requests whose handler threw (the answer is an error body).
    static let httpRequestErrors = "tenantsync_http_request_errors_total"
    /// Gauge (`method`): requests being answered.
    static let httpActiveRequests = "tenantsync_http_active_requests"
}
