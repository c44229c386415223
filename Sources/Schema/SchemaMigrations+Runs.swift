extension SchemaMigrations {
    /// The callback webhook outbox: one delivery per run end and URL, written in the transaction that ends the run.
    ///
    /// A delivery's `id` is its `webhook-id`: the same on every attempt, so receivers can drop duplicates.
    static let runsWebhooks = Migration(version: 3, name: "runs_webhooks", sql: """
        CREATE TABLE webhook_deliveries (
            id text PRIMARY KEY,
            run_id text NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
            url text NOT NULL,
            payload text NOT NULL,
            status text NOT NULL DEFAULT 'pending',
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL DEFAULT now(),
            last_status_code integer,
            last_error text,
            created_at timestamptz NOT NULL DEFAULT now(),
            delivered_at timestamptz
        );
        CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
        CREATE INDEX webhook_deliveries_run_idx ON webhook_deliveries (run_id);

        CREATE TABLE webhook_attempts (
            delivery_id text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
            attempt integer NOT NULL,
            attempted_at timestamptz NOT NULL DEFAULT now(),
            status_code integer,
            error text,
            duration_ms integer NOT NULL,
            PRIMARY KEY (delivery_id, attempt)
        );

        -- Endpoints that answered 410 Gone: nothing is sent to them again.
        CREATE TABLE webhook_disabled_endpoints (
            url text PRIMARY KEY,
            reason text NOT NULL,
            disabled_at timestamptz NOT NULL DEFAULT now()
        );

        CREATE INDEX sync_runs_created_idx ON sync_runs (created_at DESC);
        """)
}
