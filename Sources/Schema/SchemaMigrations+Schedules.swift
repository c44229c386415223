extension SchemaMigrations {
    /// Schedules: each tenant's next fire, shared by every supervisor.
    ///
    /// - `tenant_schedules`: one row per tenant, keyed by tenant id alone so that it can move into a
    ///   tenants table unchanged. `schedule` is the schedule's JSON object (`{"every": "15m"}`,
    ///   `{"cron": "0 3 * * *", "time_zone": "Europe/Madrid", "jitter": "2m"}`), NULL for on demand;
    ///   `next_fire_at` is NULL when there is nothing to fire. A fire locks the row, moves
    ///   `next_fire_at` to the first slot after now and stores its run in the same transaction.
    ///   `skipped_fires` counts fires that found the tenant still syncing and started nothing.
    /// - `sync_runs.scheduled_for`: the slot a scheduled run was fired for; unique per tenant, so a
    ///   slot can never start two runs, whatever happens to the row locks.
    static let schedules = Migration(version: 8, name: "tenant_schedules", sql: """
        CREATE TABLE tenant_schedules (
            tenant_id text PRIMARY KEY,
            schedule text,
            next_fire_at timestamptz,
            paused boolean NOT NULL DEFAULT false,
            last_fired_at timestamptz,
            last_run_id text,
            skipped_fires bigint NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX tenant_schedules_due_idx ON tenant_schedules (next_fire_at) WHERE NOT paused AND next_fire_at IS NOT NULL;

        ALTER TABLE sync_runs ADD COLUMN scheduled_for timestamptz;
        CREATE UNIQUE INDEX sync_runs_scheduled_slot_idx ON sync_runs (scope, scheduled_for) WHERE scheduled_for IS NOT NULL;
        """)
}
