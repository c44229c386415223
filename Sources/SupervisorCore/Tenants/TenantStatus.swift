import IPC

/// A snapshot of one tenant for `GET /api/tenants` and `tenantsync status`.
public struct TenantStatus: Codable, Sendable {
    public var id: String
    public var connector: String
    public var enabled: Bool
    public var state: WorkerState
    public var pid: Int32?
    public var restarts: Int
    public var streams: [String]
    /// Seconds since the worker became ready.
    public var uptimeSeconds: Double?
    /// The run in progress, if any, with its latest progress.
    public var currentRunID: String?
    public var progress: SyncProgress?
    /// The last exit of the worker, if it ever exited.
    public var lastExit: String?
    /// Why the worker is errored or backing off.
    public var lastError: String?
    /// Stdout lines from the worker that were not valid protocol messages.
    public var badLines: Int

    enum CodingKeys: String, CodingKey {
        case id, connector, enabled, state, pid, restarts, streams, progress
        case uptimeSeconds = "uptime_seconds"
        case currentRunID = "current_run_id"
        case lastExit = "last_exit"
        case lastError = "last_error"
        case badLines = "bad_lines"
    }
}
