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
    static func load(tenantID: String, on connection: PostgresConnection) throws(SyncError) -> StoredLineFingerprints? {
        let rows: [PostgresRow]
        let rates: [PostgresRow]
        do {
            rows = try connection.query("""
                SELECT t.booking_id, t.line_number, t.source_fingerprint, a.external_id AS unit,
                       t.rate_id IS NOT NULL AS has_rate, r.external_id AS rate
                FROM reservations t
                JOIN accommodations a ON a.id = t.accommodation_unit_id AND a.deleted_at IS NULL
                LEFT JOIN rates r ON r.id = t.rate_id AND r.deleted_at IS NULL
                WHERE t.tenant_id = $1 AND t.deleted_at IS NULL AND t.source_fingerprint IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM sync_rejects j WHERE j.tenant_id = $1 AND j.stream = 'reservations'
                                  AND j.external_id = t.booking_id || '/' || t.line_number)
                LIMIT $2::integer
                """, [.text(tenantID), .text(String(maximumLines + 1))]).rows
            rates = try connection.query(
                "SELECT external_id FROM rates WHERE tenant_id = $1 AND deleted_at IS NULL", [.text(tenantID)]
            ).rows
        } catch {
            throw SyncError.database(error, while: "reading the fingerprints of the stored reservation lines")
        }
        guard rows.count <= maximumLines else { return nil }
        var lines: [LineKey: StoredLine] = [:]
        lines.reserveCapacity(rows.count)
        for row in rows {
            guard let booking = row[0].flatMap({ Int64($0) }), let line = row[1].flatMap({ Int($0) }),
                  let fingerprint = row[2].flatMap({ Int64($0) }), let unit = row[3].flatMap({ Int64($0) }) else { continue }
            lines[LineKey(bookingID: booking, lineNumber: line)] = StoredLine(
                fingerprint: fingerprint, unitID: unit, hasRate: row[4] == "t", listedRateID: row[5].flatMap { Int64($0) }
            )
        }
        return StoredLineFingerprints(lines: lines, listedRates: Set(rates.compactMap { $0[0].flatMap { Int64($0) } }))
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
