extension SchemaMigrations {
    /// A database identity per tenant: row-level security keyed on the session's login role.
    ///
    /// Until now a worker named its tenant itself (`tenantsync.tenant_id`), so a compromised worker
    /// could name another. The supervisor now issues each tenant a login role of its own
    /// (`tenantsync_issue_worker_role`, with a fresh password at every worker start, handed to that
    /// worker over its pipe only), recorded in `tenant_roles`. `tenantsync_session_tenant()` answers
    /// the tenant of the session's *login* role (`session_user`, which `SET ROLE` cannot change), and
    /// the setting only for a login role issued for no tenant (a deployment's own shared worker role,
    /// as `worker_identity: "shared"` uses). Every `tenant_isolation` policy compares with it, through
    /// `(SELECT …)` so that it runs once per statement rather than once per row.
    ///
    /// Tenant roles are members of `tenantsync_worker` (its privileges, nothing else: no superuser,
    /// no `BYPASSRLS`). Their names carry a hash of the database's name and the tenant id: roles are
    /// cluster-wide, and two databases of one cluster may hold the same tenant id.
    static let workerRoles = Migration(version: 9, name: "worker_roles", sql: """
        CREATE TABLE tenant_roles (
            tenant_id text PRIMARY KEY,
            role_name text NOT NULL UNIQUE,
            issued_at timestamptz NOT NULL DEFAULT now()
        );

        CREATE FUNCTION tenantsync_session_tenant() RETURNS text
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
                SELECT coalesce(
                    (SELECT tenant_id FROM public.tenant_roles WHERE role_name = session_user),
                    current_setting('tenantsync.tenant_id', true))
            $$;
        REVOKE ALL ON FUNCTION tenantsync_session_tenant() FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION tenantsync_session_tenant() TO tenantsync_worker;

        CREATE FUNCTION tenantsync_issue_worker_role(tenant text, password text) RETURNS text
            LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
            AS $$
            DECLARE
                role text := 'tenantsync_w_' || substr(md5(current_database() || '/' || tenant), 1, 24);
            BEGIN
                BEGIN
                    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT IN ROLE tenantsync_worker', role, password);
                EXCEPTION WHEN duplicate_object OR unique_violation THEN
                    EXECUTE format('ALTER ROLE %I WITH LOGIN PASSWORD %L', role, password);
                END;
                INSERT INTO public.tenant_roles (tenant_id, role_name) VALUES (tenant, role)
                    ON CONFLICT (tenant_id) DO UPDATE SET role_name = EXCLUDED.role_name, issued_at = now();
                RETURN role;
            END
            $$;
        REVOKE ALL ON FUNCTION tenantsync_issue_worker_role(text, text) FROM PUBLIC;

        DO $$
        DECLARE
            name text;
        BEGIN
            FOR name IN SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = 'tenant_isolation' LOOP
                EXECUTE format('ALTER POLICY tenant_isolation ON %I '
                    'USING (tenant_id = (SELECT tenantsync_session_tenant())) '
                    'WITH CHECK (tenant_id = (SELECT tenantsync_session_tenant()))', name);
            END LOOP;
        END
        $$;
        """)
}
