extension SchemaMigrations {
    /// `tenantsync_session_tenant()` in PL/pgSQL, with the same answer.
    ///
    /// Every `tenant_isolation` policy calls it once per statement and table (about 70 calls in a
    /// small tenant's sync). As a SQL function with `SET search_path` it can never be inlined, and
    /// PostgreSQL planned its query again on every call; PL/pgSQL keeps the plan for the rest of
    /// the session after the first call.
    static let sessionTenantPlan = Migration(version: 13, name: "session_tenant_plpgsql", sql: """
        CREATE OR REPLACE FUNCTION tenantsync_session_tenant() RETURNS text
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
            BEGIN
                RETURN coalesce(
                    (SELECT tenant_id FROM public.tenant_roles WHERE role_name = session_user),
                    current_setting('tenantsync.tenant_id', true));
            END
            $$;
        """)
}
