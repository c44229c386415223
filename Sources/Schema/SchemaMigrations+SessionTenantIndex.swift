extension SchemaMigrations {
    /// `tenantsync_session_tenant()` finds the login role through `tenant_roles`' index.
    ///
    /// `session_user` is a `name`, whose collation is `C`; compared with the `text` column it left the
    /// comparison without a collation, so the unique index on `role_name` (the database's default
    /// collation) could not serve it and every call read the whole table: 0.4 ms with 2,000 tenants
    /// (`EXPLAIN ANALYZE`), 0.01 ms through the index. A sync calls it about 70 times, so with
    /// thousands of tenants each sync paid tens of milliseconds of PostgreSQL time for it, a cost
    /// that grew with the number of tenants.
    static let sessionTenantIndex = Migration(version: 14, name: "session_tenant_index", sql: """
        CREATE OR REPLACE FUNCTION tenantsync_session_tenant() RETURNS text
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
            BEGIN
                RETURN coalesce(
                    (SELECT tenant_id FROM public.tenant_roles WHERE role_name = session_user::text COLLATE "default"),
                    current_setting('tenantsync.tenant_id', true));
            END
            $$;
        """)
}
