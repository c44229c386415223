extension SchemaMigrations {
    /// A fingerprint of each reservation line's JSON text as the upstream last sent it.
    ///
    /// A re-sync whose lines come back byte for byte as stored recognises them by this number alone:
    /// they skip JSON parsing and the upsert, which otherwise made a re-sync with nothing changed cost
    /// nearly as much as the first load. Rows stored before this column existed have none and go
    /// through the full comparison until their booking changes upstream.
    static let fingerprints = Migration(version: 6, name: "reservation_source_fingerprint", sql: """
        ALTER TABLE reservations ADD COLUMN source_fingerprint bigint;
        """)
}
