/// How workers log in to PostgreSQL.
public enum WorkerIdentity: String, Codable, Sendable {
    /// Each tenant's worker logs in as a role of its own, which row-level security binds to the
    /// tenant; the supervisor issues it (and needs `CREATEROLE`). The default.
    case tenantRole = "tenant_role"
    /// Every worker logs in with `worker_database_url` (or the supervisor's `database_url`) and names
    /// its tenant in the session; a worker that misbehaves could name another.
    case shared
}
