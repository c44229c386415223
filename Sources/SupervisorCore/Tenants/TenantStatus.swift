import IPC

/// A snapshot of one tenant for `GET /api/tenants` and `tenantsync status`.
public struct TenantStatus: Codable, Sendable {
    public var id: String
    public var connector: String
    public var enabled: Bool
    public var state: TenantState
    /// The supervisor holding the tenant's lease; `nil` when nobody does (disabled, or not claimed yet).
    public var owner: String?
    /// Why the worker is in its state, as last logged.
    public var stateCause: String
    public var pid: Int32?
    public var restarts: Int
    public var streams: [String]
    /// Seconds since the worker process started.
    public var uptimeSeconds: Double?
    /// CPU use of the worker over the last sampling interval, in percent of one core.
    public var cpuPercent: Double?
    /// Resident memory of the worker in bytes.
    public var rssBytes: Int?
    /// The run in progress, if any, with its latest progress.
    public var currentRunID: String?
    public var progress: SyncProgress?
    /// The last finished sync of this tenant.
    public var lastSync: LastSync?
    /// The last exit of the worker, if it ever exited.
    public var lastExit: String?
    /// Why the worker last crashed or is errored.
    public var lastError: String?
    /// Stdout lines from the worker that were not valid protocol messages.
    public var badLines: Int
    /// Log lines dropped for followers that fell behind, or before the disk writer caught up.
    public var droppedLogLines: UInt64 = 0
    /// The schedule the tenant syncs on unattended; `nil` when it syncs only on demand.
    public var schedule: TenantSchedule?
    /// When its schedule fires next (ISO 8601, UTC); `nil` without a schedule, while paused, or before
    /// the supervisor has read it.
    public var nextSyncAt: String?
    /// Whether its schedule is paused (`POST /api/tenants/{id}/pause`), on every supervisor.
    public var schedulePaused: Bool = false
    /// Why a requested sync of the tenant waits for a sync slot here (all `concurrency` slots busy, or
    /// `max_per_host` syncs already calling its upstream host); `nil` when none waits.
    public var waitingFor: String?

    /// The outcome of a tenant's most recent sync.
    public struct LastSync: Codable, Sendable {
        public var runID: String
        public var status: String
        /// ISO 8601 time the sync ended.
        public var finishedAt: String
        public var counts: StreamCounts
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case status, counts, error
            case runID = "run_id"
            case finishedAt = "finished_at"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, connector, enabled, state, owner, pid, restarts, streams, progress
        case stateCause = "state_cause"
        case uptimeSeconds = "uptime_seconds"
        case cpuPercent = "cpu_percent"
        case rssBytes = "rss_bytes"
        case currentRunID = "current_run_id"
        case lastSync = "last_sync"
        case lastExit = "last_exit"
        case lastError = "last_error"
        case badLines = "bad_lines"
        case droppedLogLines = "dropped_log_lines"
        case schedule
        case nextSyncAt = "next_sync_at"
        case schedulePaused = "schedule_paused"
        case waitingFor = "waiting_for"
    }
}

/// A tenant's state in status displays: its worker's state here, or `remote` when another supervisor holds it.
public enum TenantState: String, Codable, Sendable, CaseIterable {
    case stopped, starting, ready, syncing, stopping, backoff, errored
    /// Another supervisor holds the tenant's lease and runs its worker.
    case remote

    init(_ state: WorkerState) {
        self = TenantState(rawValue: state.rawValue) ?? .stopped
    }
}
