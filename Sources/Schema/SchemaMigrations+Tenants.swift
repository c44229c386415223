extension SchemaMigrations {
    /// The tenant registry: every tenant of every supervisor on the database, in one table.
    ///
    /// - `settings` holds the connector settings that are not secret. The secret ones are only ever stored
    ///   encrypted: `secret_settings` is their JSON object sealed with AES-256-GCM under a data key of the
    ///   tenant's own, `secret_data_key` that data key sealed under the master key `master_key_id` names
    ///   (all three NULL for a tenant without secrets). `secret_setting_names` is the list the tenant
    ///   declared, NULL when it declared none and the default rule (names containing `secret`, `password`,
    ///   `token` or `key`) applies.
    /// - `schedule` is SQL NULL when the tenant follows the default schedule, JSON `null` when it syncs on
    ///   demand only, or the schedule's JSON object.
    /// - `source` says who wrote the tenant last: `file` (the configuration file, which wins for the
    ///   tenants it names at every start and SIGHUP) or `api`.
    /// - `version` comes from one sequence, set by a trigger on every insert and update, so it only grows,
    ///   whoever writes; clients send it back in `If-Match`.
    ///
    /// Every change sends a notification on the channel `tenantsync_tenants` (payload: the tenant id) at
    /// commit, so every supervisor reloads at once; supervisors also poll, in case a notification is lost.
    /// Workers get no privilege on the table: their settings reach them over their pipe.
    static let tenants = Migration(version: 12, name: "tenants", sql: """
        CREATE SEQUENCE tenants_version_seq;

        CREATE TABLE tenants (
            id text PRIMARY KEY,
            connector text NOT NULL,
            settings jsonb NOT NULL DEFAULT '{}',
            secret_settings bytea,
            secret_data_key bytea,
            master_key_id text,
            secret_setting_names jsonb,
            enabled boolean NOT NULL DEFAULT true,
            schedule jsonb,
            webhook_urls jsonb NOT NULL DEFAULT '[]',
            supervision jsonb,
            source text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'file')),
            version bigint NOT NULL,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            CHECK ((secret_settings IS NULL) = (secret_data_key IS NULL) AND (secret_settings IS NULL) = (master_key_id IS NULL))
        );

        CREATE FUNCTION tenantsync_tenants_versioned() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.version := nextval('tenants_version_seq');
                IF TG_OP = 'UPDATE' THEN
                    NEW.created_at := OLD.created_at;
                    NEW.updated_at := clock_timestamp();
                END IF;
                RETURN NEW;
            END
            $$;
        CREATE TRIGGER tenants_versioned BEFORE INSERT OR UPDATE ON tenants
            FOR EACH ROW EXECUTE FUNCTION tenantsync_tenants_versioned();

        CREATE FUNCTION tenantsync_tenants_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('tenantsync_tenants', coalesce(NEW.id, OLD.id));
                RETURN NULL;
            END
            $$;
        CREATE TRIGGER tenants_notify AFTER INSERT OR UPDATE OR DELETE ON tenants
            FOR EACH ROW EXECUTE FUNCTION tenantsync_tenants_notify();
        """)
}
