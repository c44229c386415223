extension SchemaMigrations {
    /// Several supervisors on one database: who is alive, and who runs each queued tenant of a run.
    ///
    /// Every supervisor heartbeats its `supervisor_members` row; the live rows decide each one's fair
    /// share of `tenant_leases`. A run's tenant rows carry the supervisor that claimed them (`runner_id`),
    /// so the holder of a tenant's lease can pick up rows queued by another supervisor, and rows left
    /// `running` by a supervisor that died can be taken over.
    static let leases = Migration(version: 5, name: "supervisor_members_and_runners", sql: """
        CREATE TABLE supervisor_members (
            supervisor_id text PRIMARY KEY,
            started_at timestamptz NOT NULL DEFAULT now(),
            heartbeat_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL
        );

        CREATE INDEX tenant_leases_owner_idx ON tenant_leases (owner_id);

        ALTER TABLE sync_run_tenants ADD COLUMN runner_id text;
        CREATE INDEX sync_run_tenants_pending_idx ON sync_run_tenants (tenant_id) WHERE status IN ('queued', 'running');
        """)
}
