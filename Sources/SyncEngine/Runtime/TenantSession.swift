import Postgres

/// Binds a database session to one tenant for row-level security.
///
/// Every tenant table has a policy admitting only rows whose `tenant_id` equals the session setting
/// `tenantsync.tenant_id`; a worker sets it once per connection, before any other statement. With a
/// role that is neither a superuser nor `BYPASSRLS`, the session then cannot read or write another
/// tenant's rows whatever SQL it runs.
public enum TenantSession {
    /// Sets `tenantsync.tenant_id` for the rest of the session.
    public static func bind(_ connection: PostgresConnection, tenantID: String) throws(SyncError) {
        do {
            // JIT off: a batch's upsert is planned anew for every batch, and its estimated cost can
            // pass `jit_above_cost`, when compiling it takes longer than running it (perf: ~0.5 s a batch).
            _ = try connection.query("SELECT set_config('tenantsync.tenant_id', $1, false), set_config('jit', 'off', false)", [.text(tenantID)])
        } catch {
            throw SyncError.database(error, while: "binding the session to tenant \(tenantID)")
        }
    }
}
