import Postgres

/// A session-local table that a page is copied into (`COPY … FROM STDIN`) before one
/// `INSERT … SELECT … ON CONFLICT` upserts it from there.
///
/// Its rows go at commit (`ON COMMIT DELETE ROWS`), so fill and read it inside one transaction; a
/// fill also drops what an earlier fill of the same transaction left. Names and column lists come
/// from the constants below, never from data.
struct StagingTable: Sendable {
    /// Records keyed by one upstream id: `external_id` as text (cast in the upsert), `data` the record.
    static let records = StagingTable(name: "record_staging", definition: "external_id text, data jsonb", columns: "external_id, data")
    /// Reservation lines, one per reserved accommodation of a booking. `data` is the line's JSON as
    /// text, parsed in the upsert only for lines whose fingerprint says they changed.
    static let reservations = StagingTable(
        name: "reservation_staging",
        definition: "booking_id bigint, line_number integer, accommodation_external_id bigint, data text, rate_external_id bigint, source_fingerprint bigint",
        columns: "booking_id, line_number, accommodation_external_id, data, rate_external_id, source_fingerprint"
    )

    let name: String
    let definition: String
    let columns: String

    /// Creates the table in this session if needed and copies `rows` (one value per column) into it.
    func fill(_ rows: [[PostgresValue]], describing what: String, on connection: PostgresConnection) throws(SyncError) {
        do {
            // One round trip: both statements go in one simple-protocol message.
            try connection.execute("""
                CREATE TEMP TABLE IF NOT EXISTS \(name) (\(definition)) ON COMMIT DELETE ROWS;
                DELETE FROM \(name);
                """)
            _ = try connection.copyFromStdin("COPY \(name) (\(columns)) FROM STDIN", rows: rows)
        } catch {
            throw SyncError.database(error, while: "staging \(what)")
        }
    }

    /// Creates the table in this session if needed and fills it with the rows `select` returns
    /// (one column per column of the table, in order); returns how many.
    func fill(selecting select: String, parameters: [PostgresValue], describing what: String, on connection: PostgresConnection) throws(SyncError) -> Int {
        do {
            try connection.execute("""
                CREATE TEMP TABLE IF NOT EXISTS \(name) (\(definition)) ON COMMIT DELETE ROWS;
                DELETE FROM \(name);
                """)
            let row = try connection.query("""
                WITH staged AS (INSERT INTO \(name) (\(columns)) \(select) RETURNING 1) SELECT count(*) FROM staged
                """, parameters).rows.first
            return row.flatMap { $0[0].flatMap { Int($0) } } ?? 0
        } catch {
            throw SyncError.database(error, while: "staging \(what)")
        }
    }
}
