extension SchemaMigrations {
    /// Rates, estimates, per-stream checkpoints and row-level security on every tenant table.
    ///
    /// Row-level security: each tenant table gets a policy that only shows and accepts rows whose
    /// `tenant_id` equals the session setting `tenantsync.tenant_id`, which a worker sets right after
    /// connecting. `FORCE` applies it to the tables' owner too; only superusers and `BYPASSRLS` roles
    /// see across tenants. The group role `tenantsync_worker` (no login) holds exactly the privileges a
    /// worker needs; a deployment gives workers a login role that is a member of it.
    static let connectors = Migration(version: 2, name: "connectors", sql: """
        CREATE TABLE rates (
            id bigserial PRIMARY KEY,
            tenant_id text NOT NULL,
            external_id bigint NOT NULL,
            accommodation_type_id bigint REFERENCES accommodation_types (id),
            accommodation_type_external_id bigint,
            title text NOT NULL DEFAULT '',
            status text,
            data jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            deleted_at timestamptz,
            UNIQUE (tenant_id, external_id)
        );

        ALTER TABLE reservations ADD COLUMN rate_id bigint REFERENCES rates (id);

        -- Estimates are keyed by the upstream's UUID-shaped text id.
        CREATE TABLE estimates (
            id bigserial PRIMARY KEY,
            tenant_id text NOT NULL,
            external_id text NOT NULL,
            name text,
            customer_name text,
            status text,
            total numeric,
            upstream_created_at timestamptz,
            upstream_updated_at timestamptz,
            data jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            deleted_at timestamptz,
            UNIQUE (tenant_id, external_id)
        );

        -- One row per tenant and stream. `completed_mark` is the high-water mark of the last complete
        -- pass, taken when that pass started; the `pass_*` columns describe a pass in progress and are
        -- written in the same transaction as each page they cover, so a killed run resumes exactly.
        CREATE TABLE sync_checkpoints (
            tenant_id text NOT NULL,
            stream text NOT NULL,
            completed_mark timestamptz,
            pass_mark timestamptz,
            pass_since timestamptz,
            pass_full boolean,
            pass_next_page integer,
            pass_run_id text,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, stream)
        );

        DO $$
        BEGIN
            CREATE ROLE tenantsync_worker NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- roles are cluster-wide: another database of this cluster created it
        END
        $$;

        DO $$
        DECLARE
            name text;
        BEGIN
            FOREACH name IN ARRAY ARRAY['accommodation_types', 'accommodations', 'rates', 'reservations',
                                        'estimates', 'sync_rejects', 'sync_checkpoints'] LOOP
                EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
                EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', name);
                EXECUTE format('CREATE POLICY tenant_isolation ON %I '
                    'USING (tenant_id = current_setting(''tenantsync.tenant_id'', true)) '
                    'WITH CHECK (tenant_id = current_setting(''tenantsync.tenant_id'', true))', name);
                EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO tenantsync_worker', name);
            END LOOP;
        END
        $$;
        GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO tenantsync_worker;
        """)
}
