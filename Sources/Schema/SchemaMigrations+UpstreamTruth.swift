extension SchemaMigrations {
    /// What being right against a changing upstream needs.
    ///
    /// - `reservations.rate_external_id`: the rate a line names upstream, kept as the upstream's id
    ///   even when that rate is not listed (disabled or deleted there), so `rate_id` being NULL is
    ///   never the only trace of it.
    /// - `sync_checkpoints.full_completed_at`: when the last complete *full* pass of an incremental
    ///   stream started, so a tenant's periodic full pass (`full_every`) knows when it is due.
    static let upstreamTruth = Migration(version: 7, name: "rate_external_id_and_full_pass_mark", sql: """
        ALTER TABLE reservations ADD COLUMN rate_external_id bigint;
        -- The owner is subject to the tenant policy too (FORCE); lift it while filling existing rows.
        ALTER TABLE reservations NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE rates NO FORCE ROW LEVEL SECURITY;
        UPDATE reservations r SET rate_external_id = rt.external_id FROM rates rt WHERE rt.id = r.rate_id;
        ALTER TABLE reservations FORCE ROW LEVEL SECURITY;
        ALTER TABLE rates FORCE ROW LEVEL SECURITY;
        ALTER TABLE sync_checkpoints ADD COLUMN full_completed_at timestamptz;
        """)
}
