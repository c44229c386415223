extension SchemaMigrations {
    /// Tenant roles leave with their tenant: roles are cluster-wide and can log in, so one left behind
    /// for a tenant that is gone is a login nobody needs.
    ///
    /// `tenantsync_retire_worker_role(tenant, supervisor)` drops the tenant's role and its `tenant_roles`
    /// row, unless another live supervisor holds the tenant's lease (its worker may be logged in as the
    /// role; that supervisor's tenant is not gone). `tenantsync_retire_worker_roles(kept, supervisor)` does
    /// so for every tenant with a role but not in `kept`. Issuing and retiring a tenant's role take the
    /// same transaction-scoped advisory lock, so a role issued while it is being retired is never lost.
    /// A role that still owns objects cannot be dropped: the function raises, and the supervisor logs it.
    static let roleRetirement = Migration(version: 11, name: "worker_role_retirement", sql: """
        CREATE OR REPLACE FUNCTION tenantsync_issue_worker_role(tenant text, password text) RETURNS text
            LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
            AS $$
            DECLARE
                role text := 'tenantsync_w_' || substr(md5(current_database() || '/' || tenant), 1, 24);
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('tenantsync worker role ' || tenant));
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

        CREATE FUNCTION tenantsync_retire_worker_role(tenant text, supervisor text) RETURNS text
            LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
            AS $$
            DECLARE
                role text;
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('tenantsync worker role ' || tenant));
                IF EXISTS (SELECT 1 FROM public.tenant_leases WHERE tenant_id = tenant AND owner_id <> supervisor AND expires_at > now()) THEN
                    RETURN NULL;
                END IF;
                DELETE FROM public.tenant_roles WHERE tenant_id = tenant RETURNING role_name INTO role;
                IF role IS NOT NULL THEN
                    EXECUTE format('DROP ROLE IF EXISTS %I', role);
                END IF;
                RETURN role;
            END
            $$;
        REVOKE ALL ON FUNCTION tenantsync_retire_worker_role(text, text) FROM PUBLIC;

        CREATE FUNCTION tenantsync_retire_worker_roles(kept text[], supervisor text) RETURNS SETOF text
            LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
            AS $$
            DECLARE
                tenant text;
                role text;
            BEGIN
                FOR tenant IN SELECT tenant_id FROM public.tenant_roles WHERE tenant_id <> ALL (kept) ORDER BY tenant_id LOOP
                    role := public.tenantsync_retire_worker_role(tenant, supervisor);
                    IF role IS NOT NULL THEN
                        RETURN NEXT role;
                    END IF;
                END LOOP;
            END
            $$;
        REVOKE ALL ON FUNCTION tenantsync_retire_worker_roles(text[], text) FROM PUBLIC;
        """)
}
