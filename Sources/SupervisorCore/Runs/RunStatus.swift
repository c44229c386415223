/// A run's status: stored in `sync_runs.status`, shown by the API and the CLI.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    case queued
    case running
    case succeeded
    /// No tenant succeeded.
    case failed
    /// Some tenants succeeded, some did not.
    case partial
    case cancelled
    /// The supervisor (or a tenant's worker) stopped under the run.
    case interrupted

    /// Whether the run may still change: queued or running.
    public var isLive: Bool { self == .queued || self == .running }
}

/// One tenant's part of a run: stored in `sync_run_tenants.status`.
public enum TenantRunStatus: String, Codable, Sendable, CaseIterable {
    case queued
    case running
    case succeeded
    case failed
    case cancelled
    case interrupted

    /// Whether the tenant's part may still change: queued or running.
    public var isLive: Bool { self == .queued || self == .running }
}
