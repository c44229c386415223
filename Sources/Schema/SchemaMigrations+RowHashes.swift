extension SchemaMigrations {
    /// A hash of each reservation line's JSON as the upstream last sent it.
    ///
    /// A page whose lines come back byte for byte as stored is recognised by `md5` of the text alone:
    /// those lines skip JSON parsing and the upsert, which made a re-sync with nothing changed cost
    /// nearly as much as the first load. Rows stored before this column existed have no hash and go
    /// through the full comparison, as before.
    static let rowHashes = Migration(version: 6, name: "reservation_data_hash", sql: """
        ALTER TABLE reservations ADD COLUMN data_hash text;
        """)
}
