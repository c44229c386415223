extension SchemaMigrations {
    /// Keys seen by a pass in progress, so a resumed full pass still detects deletions; one reject per record.
    ///
    /// `sync_pass_keys` holds one row per committed page of a pass that sees every upstream record,
    /// written in the page's transaction; when the pass completes, rows of the stream's table whose
    /// key no page listed are marked deleted, and the pass's rows here are removed. A page's keys are
    /// one array, so a 100,000-record stream costs about a thousand small rows, and rows whose content
    /// did not change are still never rewritten. `sync_checkpoints.pass_keys_recorded` says whether
    /// an interrupted pass recorded its keys: a pass begun before this migration did not, and never
    /// infers deletions.
    ///
    /// `sync_rejects` becomes one row per tenant, stream and record key (`external_id`): a record
    /// rejected again updates its row (`last_seen_at`, `seen_count`) instead of adding one per run.
    /// Rejects stored without a key get the record's `id`, or `md5:` and a hash of the record.
    static let passKeys = Migration(version: 4, name: "pass_keys_and_reject_keys", sql: """
        CREATE TABLE sync_pass_keys (
            tenant_id text NOT NULL,
            stream text NOT NULL,
            page integer NOT NULL,
            keys text[] NOT NULL,
            PRIMARY KEY (tenant_id, stream, page)
        );
        ALTER TABLE sync_pass_keys ENABLE ROW LEVEL SECURITY;
        ALTER TABLE sync_pass_keys FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON sync_pass_keys
            USING (tenant_id = current_setting('tenantsync.tenant_id', true))
            WITH CHECK (tenant_id = current_setting('tenantsync.tenant_id', true));
        GRANT SELECT, INSERT, UPDATE, DELETE ON sync_pass_keys TO tenantsync_worker;

        ALTER TABLE sync_checkpoints ADD COLUMN pass_keys_recorded boolean;

        ALTER TABLE sync_rejects
            ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now(),
            ADD COLUMN seen_count integer NOT NULL DEFAULT 1;
        -- The owner is subject to the tenant policy too (FORCE); lift it while merging existing rows.
        ALTER TABLE sync_rejects NO FORCE ROW LEVEL SECURITY;
        UPDATE sync_rejects SET last_seen_at = created_at;
        UPDATE sync_rejects SET external_id = coalesce(nullif(record->>'id', ''), 'md5:' || md5(record::text))
        WHERE external_id IS NULL AND record IS NOT NULL;
        UPDATE sync_rejects r SET seen_count = d.n, created_at = d.first
        FROM (
            SELECT max(id) AS id, count(*) AS n, min(created_at) AS first
            FROM sync_rejects WHERE external_id IS NOT NULL
            GROUP BY tenant_id, stream, external_id HAVING count(*) > 1
        ) d
        WHERE r.id = d.id;
        DELETE FROM sync_rejects r
        WHERE external_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM sync_rejects n
            WHERE n.tenant_id = r.tenant_id AND n.stream = r.stream AND n.external_id = r.external_id AND n.id > r.id
        );
        ALTER TABLE sync_rejects FORCE ROW LEVEL SECURITY;
        CREATE UNIQUE INDEX sync_rejects_record_key ON sync_rejects (tenant_id, stream, external_id);
        """)
}
