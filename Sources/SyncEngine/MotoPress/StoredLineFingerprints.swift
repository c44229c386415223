import Postgres

/// The fingerprints of the tenant's stored reservation lines, with what each line's unit and rate
/// resolved to, read once at the start of a pass over every booking, so the worker drops the lines a
/// batch's upsert would leave as they are instead of sending them for PostgreSQL to compare.
///
/// A line stays as it is when ``MotoPressWriter/upsertStagedReservations(_:fetched:duplicates:on:)``'s
/// `input` step would stop it: stored from the same text (same fingerprint), not deleted, not
/// quarantined, its stored unit the listed accommodation with the line's unit id, and its stored rate
/// the listed rate with the line's rate id (or none stored, and none listed under that id). Comparing
/// in PostgreSQL cost about 25 µs a line (`auto_explain`, P9: 25–38 ms for a batch of 1,162
/// unchanged lines).
///
/// Only this tenant's worker writes its lines, and each line is looked up at most once: a line that
/// is not dropped is forgotten, so a second copy of it later in the pass (a listing that shifted)
/// goes to the upsert, which compares it with what the first copy wrote.
struct StoredLineFingerprints {
    private struct LineKey: Hashable {
        let bookingID: Int64
        let lineNumber: Int
    }

    private struct StoredLine {
        let fingerprint: Int64
        /// The upstream id of the stored unit, which is listed.
        let unitID: Int64
        /// Whether the row has a rate, and the upstream id of that rate if it is listed.
        let hasRate: Bool
        let listedRateID: Int64?
    }

    /// Above this many stored lines the fingerprints are not read (about 60 bytes of memory each):
    /// the upsert compares them, as it does for a pass that is not over every booking.
    static let maximumLines = 2_000_000

    private var lines: [LineKey: StoredLine]
    /// The upstream ids of the tenant's listed rates.
    private let listedRates: Set<Int64>

    /// Reads the tenant's stored lines that could be unchanged; `nil` past ``maximumLines``.
    ///
    /// Four plain reads joined here rather than one joined statement: the join, with the quarantine
    /// check per line, took 1.87 s for 114,173 lines (P9), where reading the lines alone is a scan.
    static func load(tenantID: String, on connection: PostgresConnection) throws(SyncError) -> StoredLineFingerprints? {
        let tenant = PostgresValue.text(tenantID)
        let rows: [PostgresRow]
        let units: [Int64: Int64]
        let rates: [Int64: Int64]
        let quarantined: Set<LineKey>
        do {
            rows = try connection.query("""
                SELECT booking_id, line_number, source_fingerprint, accommodation_unit_id, rate_id FROM reservations
                WHERE tenant_id = $1 AND deleted_at IS NULL AND source_fingerprint IS NOT NULL AND accommodation_unit_id IS NOT NULL
                LIMIT $2::integer
                """, [tenant, .text(String(maximumLines + 1))]).rows
            guard rows.count <= maximumLines else { return nil }
            units = try idMap("SELECT id, external_id FROM accommodations WHERE tenant_id = $1 AND deleted_at IS NULL", tenant, on: connection)
            rates = try idMap("SELECT id, external_id FROM rates WHERE tenant_id = $1 AND deleted_at IS NULL", tenant, on: connection)
            quarantined = Set(try connection.query("""
                SELECT split_part(external_id, '/', 1), split_part(external_id, '/', 2) FROM sync_rejects
                WHERE tenant_id = $1 AND stream = 'reservations' AND external_id ~ '^-?[0-9]+/[0-9]+$'
                """, [tenant]).rows.compactMap { row -> LineKey? in
                    guard let booking = row[0].flatMap({ Int64($0) }), let line = row[1].flatMap({ Int($0) }) else { return nil }
                    return LineKey(bookingID: booking, lineNumber: line)
                })
        } catch {
            throw SyncError.database(error, while: "reading the fingerprints of the stored reservation lines")
        }
        var lines: [LineKey: StoredLine] = [:]
        lines.reserveCapacity(rows.count)
        for row in rows {
            guard let booking = row[0].flatMap({ Int64($0) }), let line = row[1].flatMap({ Int($0) }),
                  let fingerprint = row[2].flatMap({ Int64($0) }),
                  let unit = row[3].flatMap({ Int64($0) }).flatMap({ units[$0] }) else { continue }
            let key = LineKey(bookingID: booking, lineNumber: line)
            guard !quarantined.contains(key) else { continue }
            let rateID = row[4].flatMap { Int64($0) }
            lines[key] = StoredLine(fingerprint: fingerprint, unitID: unit, hasRate: rateID != nil, listedRateID: rateID.flatMap { rates[$0] })
        }
        return StoredLineFingerprints(lines: lines, listedRates: Set(rates.values))
    }

    /// Internal id → upstream id, from a statement selecting `id, external_id` with `$1` the tenant.
    private static func idMap(_ sql: String, _ tenant: PostgresValue, on connection: PostgresConnection) throws -> [Int64: Int64] {
        var map: [Int64: Int64] = [:]
        for row in try connection.query(sql, [tenant]).rows {
            if let id = row[0].flatMap({ Int64($0) }), let external = row[1].flatMap({ Int64($0) }) { map[id] = external }
        }
        return map
    }

    /// Whether `line` is stored from the same text and would be left as it is; forgets the line either way.
    mutating func takeUnchanged(_ line: ReservationLine) -> Bool {
        guard let stored = lines.removeValue(forKey: LineKey(bookingID: line.bookingID, lineNumber: line.lineNumber)),
              stored.fingerprint == line.fingerprint, stored.unitID == line.accommodationID else { return false }
        if stored.hasRate {
            return stored.listedRateID != nil && stored.listedRateID == line.rateID
        }
        return line.rateID.map { !listedRates.contains($0) } ?? true
    }
}
