/// The schema of tenantsync's database, as an ordered list of migrations.
///
/// Tenant tables key every row by `(tenant_id, external id)`; child rows point at their parents
/// through real foreign keys, so a reservation can never be stored without its accommodation.
public enum SchemaMigrations {
    /// Every migration, oldest first.
    public static let all: [Migration] = [initial, connectors, runsWebhooks, passKeys, leases, fingerprints, upstreamTruth, schedules, workerRoles, cancelRequests, roleRetirement, tenants, sessionTenantPlan, sessionTenantIndex]

    static let initial = Migration(version: 1, name: "initial", sql: """
        CREATE TABLE accommodation_types (
            id bigserial PRIMARY KEY,
            tenant_id text NOT NULL,
            external_id bigint NOT NULL,
            title text NOT NULL DEFAULT '',
            status text,
            adults integer,
            children integer,
            total_capacity integer,
            bed_type text,
            data jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            deleted_at timestamptz,
            UNIQUE (tenant_id, external_id)
        );

        CREATE TABLE accommodations (
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

        -- One row per reserved accommodation of a booking: a multi-room booking has several.
        CREATE TABLE reservations (
            id bigserial PRIMARY KEY,
            tenant_id text NOT NULL,
            booking_id bigint NOT NULL,
            line_number integer NOT NULL,
            accommodation_unit_id bigint NOT NULL REFERENCES accommodations (id),
            accommodation_type_id bigint REFERENCES accommodation_types (id),
            status text,
            check_in_date date,
            check_out_date date,
            guest_name text,
            customer_name text,
            customer_email text,
            adults integer,
            children integer,
            total_price numeric,
            currency text,
            is_block boolean NOT NULL DEFAULT false,
            data jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            deleted_at timestamptz,
            UNIQUE (tenant_id, booking_id, line_number)
        );
        CREATE INDEX reservations_accommodation_unit_id_idx ON reservations (accommodation_unit_id);

        -- Records that could not be stored, with the reason; nothing is dropped silently.
        CREATE TABLE sync_rejects (
            id bigserial PRIMARY KEY,
            tenant_id text NOT NULL,
            run_id text,
            stream text NOT NULL,
            external_id text,
            reason text NOT NULL,
            record jsonb,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX sync_rejects_tenant_idx ON sync_rejects (tenant_id, stream);

        -- A sync run over one or more tenants, and one row per tenant in it.
        CREATE TABLE sync_runs (
            id text PRIMARY KEY,
            scope text NOT NULL,
            trigger text NOT NULL,
            status text NOT NULL,
            options jsonb NOT NULL DEFAULT '{}',
            owner_id text,
            error text,
            created_at timestamptz NOT NULL DEFAULT now(),
            started_at timestamptz,
            finished_at timestamptz
        );

        CREATE TABLE sync_run_tenants (
            run_id text NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
            tenant_id text NOT NULL,
            status text NOT NULL,
            attempts integer NOT NULL DEFAULT 0,
            streams jsonb NOT NULL DEFAULT '[]',
            fetched integer NOT NULL DEFAULT 0,
            created integer NOT NULL DEFAULT 0,
            updated integer NOT NULL DEFAULT 0,
            unchanged integer NOT NULL DEFAULT 0,
            rejected integer NOT NULL DEFAULT 0,
            error text,
            started_at timestamptz,
            finished_at timestamptz,
            PRIMARY KEY (run_id, tenant_id)
        );

        -- Which supervisor works which tenant: a lease that its owner renews and others may take once expired.
        CREATE TABLE tenant_leases (
            tenant_id text PRIMARY KEY,
            owner_id text NOT NULL,
            acquired_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL
        );
        """)
}
