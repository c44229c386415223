import IPC

/// A run as `GET /api/runs/{id}` shows it: status, totals, and one entry per tenant.
public struct RunSnapshot: Codable, Sendable {
    public var runID: String
    public var scope: String
    public var trigger: String
    public var status: RunStatus
    public var error: String?
    public var createdAt: String
    public var startedAt: String?
    public var finishedAt: String?
    public var totals: StreamCounts
    public var tenants: [TenantRunSnapshot]
    /// The date range and `full` flag the run was started with.
    public var options: SyncOptions?
    /// Seconds from start (or creation) to the end, or to now while the run goes on.
    public var durationSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case scope, trigger, status, error, totals, tenants, options
        case durationSeconds = "duration_seconds"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

/// One tenant's part of a run.
public struct TenantRunSnapshot: Codable, Sendable {
    public var tenantID: String
    public var status: TenantRunStatus
    public var attempts: Int
    public var counts: StreamCounts
    public var streams: [StreamResult]
    public var error: String?
    public var startedAt: String?
    public var finishedAt: String?
    /// The latest progress while the tenant is running.
    public var progress: SyncProgress?

    enum CodingKeys: String, CodingKey {
        case tenantID = "tenant_id"
        case status, attempts, counts, streams, error, progress
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}
