import IPC
import Postgres

/// Writes MotoPress records into the tenant tables, one batch per statement.
///
/// Each batch goes as array parameters into ``StagedRows``, read by a single
/// `INSERT … SELECT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM …`: identical rows
/// are not rewritten, and `xmax = 0` tells inserted rows from updated ones, so the counts come from
/// the database itself.
struct MotoPressWriter {
    let tenantID: String
    let runID: String

    func upsertAccommodationTypes(_ records: [JSONRecord], on connection: PostgresConnection) throws(SyncError) -> StreamCounts {
        let sql = """
            input AS (
                SELECT external_id::bigint AS external_id, data FROM record_staging
            ), written AS (
                INSERT INTO accommodation_types AS t
                    (tenant_id, external_id, title, status, adults, children, total_capacity, bed_type, data)
                SELECT $1, external_id, coalesce(data->>'title', ''), data->>'status',
                       (data->>'adults')::integer, (data->>'children')::integer,
                       (data->>'total_capacity')::integer, data->>'bed_type', data
                FROM input
                ON CONFLICT (tenant_id, external_id) DO UPDATE SET
                    title = excluded.title, status = excluded.status, adults = excluded.adults,
                    children = excluded.children, total_capacity = excluded.total_capacity,
                    bed_type = excluded.bed_type, data = excluded.data, updated_at = now(), deleted_at = NULL
                WHERE t.data IS DISTINCT FROM excluded.data OR t.deleted_at IS NOT NULL
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted) AS created, count(*) FILTER (WHERE NOT inserted) AS updated FROM written
            """
        return try upsertStaged(sql, records, on: connection)
    }

    /// Tables whose rows belong to an accommodation type: the same columns, the same upsert.
    ///
    /// The table name comes from this fixed list only, never from data.
    enum TypeChildTable: String {
        case accommodations
        case rates
    }

    func upsertAccommodations(_ records: [JSONRecord], on connection: PostgresConnection) throws(SyncError) -> StreamCounts {
        try upsertTypeChildren(.accommodations, records, on: connection)
    }

    func upsertRates(_ records: [JSONRecord], on connection: PostgresConnection) throws(SyncError) -> StreamCounts {
        try upsertTypeChildren(.rates, records, on: connection)
    }

    private func upsertTypeChildren(_ table: TypeChildTable, _ records: [JSONRecord], on connection: PostgresConnection) throws(SyncError) -> StreamCounts {
        let sql = """
            input AS (
                SELECT external_id::bigint AS external_id, data FROM record_staging
            ), resolved AS (
                SELECT i.external_id, i.data, (i.data->>'accommodation_type_id')::bigint AS type_external_id, at.id AS type_id
                FROM input i
                LEFT JOIN accommodation_types at
                    ON at.tenant_id = $1 AND at.external_id = (i.data->>'accommodation_type_id')::bigint
            ), written AS (
                INSERT INTO \(table.rawValue) AS t
                    (tenant_id, external_id, accommodation_type_id, accommodation_type_external_id, title, status, data)
                SELECT $1, external_id, type_id, type_external_id, coalesce(data->>'title', ''), data->>'status', data
                FROM resolved
                ON CONFLICT (tenant_id, external_id) DO UPDATE SET
                    accommodation_type_id = excluded.accommodation_type_id,
                    accommodation_type_external_id = excluded.accommodation_type_external_id,
                    title = excluded.title, status = excluded.status, data = excluded.data,
                    updated_at = now(), deleted_at = NULL
                WHERE t.data IS DISTINCT FROM excluded.data
                   OR t.accommodation_type_id IS DISTINCT FROM excluded.accommodation_type_id
                   OR t.deleted_at IS NOT NULL
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted) AS created, count(*) FILTER (WHERE NOT inserted) AS updated FROM written
            """
        return try upsertStaged(sql, records, on: connection)
    }

    /// Writes reservation lines; a line whose accommodation is unknown, or not listed any more (or
    /// whose accommodation type is not), goes to `sync_rejects`, never in with a NULL key.
    ///
    /// A line stored after all (its unit is listed again) loses its quarantine row in `sync_rejects`.
    func upsertReservations(_ lines: [ReservationLine], on connection: PostgresConnection) throws(SyncError) -> StreamCounts {
        var seen = Set<String>()
        let unique = lines.reversed().filter { seen.insert("\($0.bookingID)/\($0.lineNumber)").inserted }.reversed()
        guard !unique.isEmpty else { return StreamCounts() }
        let staged = StagedRows.reservations.rows(unique.map { line -> [PostgresValue] in
            [
                .text(String(line.bookingID)), .text(String(line.lineNumber)),
                line.accommodationID.map { .text(String($0)) } ?? .null, .text(line.json),
                line.rateID.map { .text(String($0)) } ?? .null, .text(String(line.fingerprint)),
            ]
        }, firstParameter: 3)
        return try upsertStagedReservations(staged, fetched: lines.count, duplicates: lines.count - unique.count, on: connection)
    }

    /// Upserts the lines of `staged` (``StagedRows/reservations``, its parameters from `$3`); see ``upsertReservations(_:on:)``.
    ///
    /// A line's unit resolves only to a live accommodation whose type is live; its rate only to a
    /// live rate. A stored line whose rate does not resolve keeps the upstream's id in
    /// `rate_external_id`, and a row in `sync_rejects` (key `booking/line:rate`) says why `rate_id`
    /// is NULL; the row goes once the rate resolves.
    func upsertStagedReservations(_ staged: StagedRows.Input, fetched: Int, duplicates: Int, on connection: PostgresConnection) throws(SyncError) -> StreamCounts {
        let sql = """
            WITH \(staged.definition), input AS (
                -- A line stored from the same text (same fingerprint), with the same unit and rate, not
                -- deleted and not quarantined since, is unchanged: it stops here, before its JSON is parsed.
                SELECT s.booking_id, s.line_number, s.accommodation_external_id, s.data::jsonb AS data,
                       s.rate_external_id, s.source_fingerprint, t.id AS stored_id
                FROM reservation_staging s
                -- LATERAL … LIMIT 1: one index probe per staged line, never a scan of the tenant's rows
                -- (the planner's statistics lag behind a table that grows during the sync).
                LEFT JOIN LATERAL (
                    SELECT t.id, t.deleted_at, t.source_fingerprint, t.accommodation_unit_id, t.rate_id FROM reservations t
                    WHERE t.tenant_id = $1 AND t.booking_id = s.booking_id AND t.line_number = s.line_number LIMIT 1
                ) t ON true
                WHERE t.id IS NULL OR t.deleted_at IS NOT NULL
                   OR t.source_fingerprint IS DISTINCT FROM s.source_fingerprint
                   OR t.accommodation_unit_id IS DISTINCT FROM
                      (SELECT a.id FROM accommodations a
                       WHERE a.tenant_id = $1 AND a.external_id = s.accommodation_external_id AND a.deleted_at IS NULL)
                   OR t.rate_id IS DISTINCT FROM
                      (SELECT r.id FROM rates r WHERE r.tenant_id = $1 AND r.external_id = s.rate_external_id AND r.deleted_at IS NULL)
                   OR EXISTS (SELECT 1 FROM sync_rejects j WHERE j.tenant_id = $1 AND j.stream = 'reservations'
                              AND j.external_id = s.booking_id || '/' || s.line_number)
            ), resolved AS (
                SELECT i.*,
                       CASE WHEN a.deleted_at IS NULL AND at.deleted_at IS NULL THEN a.id END AS unit_id,
                       CASE WHEN a.deleted_at IS NULL AND at.deleted_at IS NULL THEN a.accommodation_type_id END AS type_id,
                       r.id AS rate_id,
                       CASE WHEN a.id IS NOT NULL AND a.deleted_at IS NULL AND at.deleted_at IS NOT NULL
                            THEN \(ParentReason.typeSQL(unit: "i.accommodation_external_id", type: "at.external_id"))
                            ELSE \(ParentReason.unitSQL(unit: "i.accommodation_external_id"))
                       END AS quarantine_reason
                FROM input i
                LEFT JOIN accommodations a ON a.tenant_id = $1 AND a.external_id = i.accommodation_external_id
                LEFT JOIN accommodation_types at ON at.id = a.accommodation_type_id
                LEFT JOIN rates r ON r.tenant_id = $1 AND r.external_id = i.rate_external_id AND r.deleted_at IS NULL
            ), rejected AS (
                INSERT INTO sync_rejects AS r (tenant_id, run_id, stream, external_id, reason, record)
                SELECT $1, $2, 'reservations', booking_id || '/' || line_number, quarantine_reason, data
                FROM resolved WHERE unit_id IS NULL
                ON CONFLICT (tenant_id, stream, external_id) DO UPDATE SET
                    run_id = excluded.run_id, reason = excluded.reason, record = excluded.record,
                    last_seen_at = now(), seen_count = r.seen_count + 1
                RETURNING 1
            ), withdrawn AS (
                -- A stored line that now names a unit that is not listed leaves the live rows, as a
                -- fresh sync would never have stored it.
                -- By the ids the input's probe found, as an array: a join here was planned from the
                -- tenant's rows while the statistics still saw a small table, and probed the staged
                -- lines once per stored row (the first batches of a large first sync took 0.2–1.3 s).
                -- The EXISTS is a one-time filter: in a batch that withdraws nothing (nearly all) the
                -- table is not read at all. Without it the plan ANDed the primary key's bitmap with one
                -- of all the tenant's lines (58,231 index entries half-way through a 100,000-booking
                -- load, 8 ms a batch and growing with every batch).
                UPDATE reservations t SET deleted_at = now(), updated_at = now()
                WHERE EXISTS (SELECT 1 FROM resolved i WHERE i.unit_id IS NULL AND i.stored_id IS NOT NULL)
                  AND t.id = ANY (ARRAY(SELECT i.stored_id FROM resolved i WHERE i.unit_id IS NULL AND i.stored_id IS NOT NULL))
                  AND t.tenant_id = $1 AND t.deleted_at IS NULL
            ), rate_noted AS (
                INSERT INTO sync_rejects AS r (tenant_id, run_id, stream, external_id, reason, record)
                SELECT $1, $2, 'reservations', booking_id || '/' || line_number || ':rate',
                       \(ParentReason.rateSQL(rate: "rate_external_id")), data
                FROM resolved WHERE unit_id IS NOT NULL AND rate_external_id IS NOT NULL AND rate_id IS NULL
                ON CONFLICT (tenant_id, stream, external_id) DO UPDATE SET
                    run_id = excluded.run_id, reason = excluded.reason, record = excluded.record,
                    last_seen_at = now(), seen_count = r.seen_count + 1
            ), cleared AS (
                DELETE FROM sync_rejects s USING resolved i
                WHERE s.tenant_id = $1 AND s.stream = 'reservations' AND i.unit_id IS NOT NULL
                  AND (s.external_id = i.booking_id || '/' || i.line_number
                       OR (s.external_id = i.booking_id || '/' || i.line_number || ':rate'
                           AND (i.rate_id IS NOT NULL OR i.rate_external_id IS NULL)))
            ), written AS (
                INSERT INTO reservations AS t
                    (tenant_id, booking_id, line_number, accommodation_unit_id, accommodation_type_id, status,
                     check_in_date, check_out_date, guest_name, customer_name, customer_email, adults, children,
                     total_price, currency, is_block, rate_id, rate_external_id, data, source_fingerprint)
                SELECT $1, booking_id, line_number, unit_id, type_id, data->>'status',
                       (data->>'check_in_date')::date, (data->>'check_out_date')::date,
                       nullif(data->'reserved_accommodation'->>'guest_name', ''),
                       nullif(trim(coalesce(data->'customer'->>'first_name', '') || ' ' || coalesce(data->'customer'->>'last_name', '')), ''),
                       nullif(data->'customer'->>'email', ''),
                       (data->'reserved_accommodation'->>'adults')::integer,
                       (data->'reserved_accommodation'->>'children')::integer,
                       (data->>'total_price')::numeric, data->>'currency',
                       coalesce((data->>'imported')::boolean, false), rate_id, rate_external_id, data, source_fingerprint
                FROM resolved WHERE unit_id IS NOT NULL
                ON CONFLICT (tenant_id, booking_id, line_number) DO UPDATE SET
                    accommodation_unit_id = excluded.accommodation_unit_id,
                    accommodation_type_id = excluded.accommodation_type_id, status = excluded.status,
                    check_in_date = excluded.check_in_date, check_out_date = excluded.check_out_date,
                    guest_name = excluded.guest_name, customer_name = excluded.customer_name,
                    customer_email = excluded.customer_email, adults = excluded.adults, children = excluded.children,
                    total_price = excluded.total_price, currency = excluded.currency, is_block = excluded.is_block,
                    rate_id = excluded.rate_id, rate_external_id = excluded.rate_external_id, data = excluded.data,
                    source_fingerprint = excluded.source_fingerprint, updated_at = now(), deleted_at = NULL
                WHERE t.data IS DISTINCT FROM excluded.data
                   OR t.accommodation_unit_id IS DISTINCT FROM excluded.accommodation_unit_id
                   OR t.rate_id IS DISTINCT FROM excluded.rate_id
                   OR t.rate_external_id IS DISTINCT FROM excluded.rate_external_id
                   OR t.deleted_at IS NOT NULL
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted) AS created, count(*) FILTER (WHERE NOT inserted) AS updated,
                   (SELECT count(*) FROM rejected) AS rejected
            FROM written
            """
        return try upsert(sql, parameters: [.text(tenantID), .text(runID)] + staged.parameters, fetched: fetched, duplicates: duplicates, on: connection)
    }

    /// Keys of the tenant's live rows that the pass over `stream` did not record seeing
    /// (`sync_pass_keys`), nor are in `alsoSeen`: the candidates for deletion.
    ///
    /// `table` and `keyColumn` come from the connector's own constants, never from data.
    func unseen(table: String, keyColumn: String, stream: String, alsoSeen: [String], on connection: PostgresConnection) throws(SyncError) -> [String] {
        do {
            return try connection.query("""
                SELECT DISTINCT t.\(keyColumn)::text AS key FROM \(table) t
                WHERE t.tenant_id = $1 AND t.deleted_at IS NULL AND NOT (t.\(keyColumn)::text = ANY($3::text[]))
                  AND \(Self.notRecorded(keyColumn: keyColumn))
                """, [.text(tenantID), .text(stream), .textArray(alsoSeen)]).rows.compactMap { $0["key"] ?? nil }
        } catch {
            throw SyncError.database(error, while: "finding rows of \(table) the pass did not see")
        }
    }

    /// Marks the tenant's live rows that the pass over `stream` did not record seeing
    /// (`sync_pass_keys`) as deleted upstream; returns how many.
    ///
    /// `table` and `keyColumn` come from the connector's own constants, never from data.
    func softDelete(table: String, keyColumn: String, stream: String, on connection: PostgresConnection) throws(SyncError) -> Int {
        do {
            let row = try connection.query("""
                WITH gone AS (
                    UPDATE \(table) t SET deleted_at = now(), updated_at = now()
                    WHERE t.tenant_id = $1 AND t.deleted_at IS NULL AND \(Self.notRecorded(keyColumn: keyColumn))
                    RETURNING 1
                )
                SELECT count(*) FROM gone
                """, [.text(tenantID), .text(stream)]).rows.first
            return row.flatMap { $0[0].flatMap { Int($0) } } ?? 0
        } catch {
            throw SyncError.database(error, while: "marking rows of \(table) deleted upstream")
        }
    }

    /// The condition that row `t`'s key is not among the keys the pass over stream `$2` of tenant `$1`
    /// recorded, for PostgreSQL to check as a hash anti-join: reading a large tenant's 100,000 recorded
    /// keys into the worker and sending them back as an array took a fifth of a re-sync with nothing
    /// changed (P9).
    private static func notRecorded(keyColumn: String) -> String {
        """
        NOT EXISTS (
            SELECT 1 FROM sync_pass_keys k CROSS JOIN LATERAL unnest(k.keys) AS recorded(key)
            WHERE k.tenant_id = $1 AND k.stream = $2 AND recorded.key = t.\(keyColumn)::text
        )
        """
    }

    /// Stores records that could not be used at all, with the reason: one row per record key.
    ///
    /// The key is the record's `id` as text, or `md5:` and a hash of the record when it has none, so
    /// a record rejected on every run keeps one row whose `last_seen_at` and `seen_count` move on
    /// (by every sighting: a key seen twice in one batch counts twice).
    func reject(stream: String, records: [(json: String, reason: String)], on connection: PostgresConnection) throws(SyncError) {
        guard !records.isEmpty else { return }
        do {
            _ = try connection.query("""
                INSERT INTO sync_rejects AS r (tenant_id, run_id, stream, external_id, reason, record, seen_count)
                SELECT DISTINCT ON (key) $1, $2, $3, key, reason, record, count(*) OVER (PARTITION BY key)
                FROM (
                    SELECT coalesce(nullif(record->>'id', ''), 'md5:' || md5(record::text)) AS key, reason, record, position
                    FROM unnest($4::jsonb[], $5::text[]) WITH ORDINALITY AS t(record, reason, position)
                ) AS keyed
                ORDER BY key, position DESC
                ON CONFLICT (tenant_id, stream, external_id) DO UPDATE SET
                    run_id = excluded.run_id, reason = excluded.reason, record = excluded.record,
                    last_seen_at = now(), seen_count = r.seen_count + excluded.seen_count
                """, [.text(tenantID), .text(runID), .text(stream), .textArray(records.map(\.json)), .textArray(records.map(\.reason))])
        } catch {
            throw SyncError.database(error, while: "storing rejected \(stream) records")
        }
    }

    /// Runs `sql` (the rest of a `WITH` list, with `$1` the tenant) after ``StagedRows/records``
    /// holding `records`, the last of each id.
    private func upsertStaged(_ sql: String, _ records: [JSONRecord], on connection: PostgresConnection) throws(SyncError) -> StreamCounts {
        guard !records.isEmpty else { return StreamCounts() }
        let unique = Self.lastByID(records)
        let staged = StagedRows.records.rows(unique.map { [.text(String($0.externalID)), .text($0.json)] }, firstParameter: 2)
        return try upsert(
            "WITH \(staged.definition), \(sql)", parameters: [.text(tenantID)] + staged.parameters,
            fetched: records.count, duplicates: records.count - unique.count, on: connection
        )
    }

    private func upsert(_ sql: String, parameters: [PostgresValue], fetched: Int, duplicates: Int, on connection: PostgresConnection) throws(SyncError) -> StreamCounts {
        guard fetched > 0 else { return StreamCounts() }
        do {
            let row = try connection.query(sql, parameters).rows.first
            let created = try row?.decode(Int.self, "created") ?? 0
            let updated = try row?.decode(Int.self, "updated") ?? 0
            let rejected = try row.flatMap { $0["rejected"] != nil ? try $0.decode(Int.self, "rejected") : nil } ?? 0
            return StreamCounts(
                fetched: fetched,
                created: created,
                updated: updated,
                unchanged: fetched - created - updated - rejected,
                rejected: rejected
            )
        } catch {
            throw SyncError.database(error, while: "writing a batch")
        }
    }

    /// Keeps the last occurrence of each id: one statement may not touch a row twice.
    static func lastByID(_ records: [JSONRecord]) -> [JSONRecord] {
        var seen = Set<Int64>()
        return records.reversed().filter { seen.insert($0.externalID).inserted }.reversed()
    }
}
