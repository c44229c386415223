import IPC
import Postgres

extension MotoPressWriter {
    /// Carries what happened to parents since the lines were stored down to the lines, so stored
    /// lines look exactly as a fresh sync would store them; run before the reservations pass.
    ///
    /// - Lines on an accommodation (or accommodation type) that is no longer listed leave the live
    ///   rows (`deleted_at`) and are quarantined in `sync_rejects` with the reason.
    /// - Quarantined lines whose accommodation is listed again are stored again from the record
    ///   kept with the quarantine, which then goes.
    /// - Lines whose rate is no longer listed keep `rate_external_id`, lose `rate_id`, and get a
    ///   note in `sync_rejects`; when the rate is listed again, `rate_id` comes back and the note goes.
    ///
    /// Returns the lines withdrawn as `deleted` and the lines restored as `created`/`updated`.
    func reconcileLinesWithParents(on connection: PostgresConnection) throws(SyncError) -> StreamCounts {
        var counts = StreamCounts()
        do {
            let withdrawn = try connection.query("""
                -- The units that are not listed, or whose type is not, first: nearly always none, and
                -- then the tenant's lines are not read at all. Joined the other way round, the plan read
                -- every live line before filtering (1.4 s at the start of a re-sync of 114,173 lines).
                WITH gone_units AS MATERIALIZED (
                    SELECT a.id, a.external_id, a.deleted_at, at.external_id AS type_external_id
                    FROM accommodations a
                    LEFT JOIN accommodation_types at ON at.id = a.accommodation_type_id
                    WHERE a.tenant_id = $1 AND (a.deleted_at IS NOT NULL OR at.deleted_at IS NOT NULL)
                ), orphaned AS (
                    SELECT r.id, r.booking_id, r.line_number, r.data,
                           CASE WHEN g.deleted_at IS NULL
                                THEN \(ParentReason.typeSQL(unit: "g.external_id", type: "g.type_external_id"))
                                ELSE \(ParentReason.unitSQL(unit: "g.external_id"))
                           END AS reason
                    FROM gone_units g
                    JOIN reservations r ON r.accommodation_unit_id = g.id AND r.deleted_at IS NULL
                ), quarantined AS (
                    INSERT INTO sync_rejects AS j (tenant_id, run_id, stream, external_id, reason, record)
                    SELECT $1, $2, 'reservations', booking_id || '/' || line_number, reason, data FROM orphaned
                    ON CONFLICT (tenant_id, stream, external_id) DO UPDATE SET
                        run_id = excluded.run_id, reason = excluded.reason, record = excluded.record,
                        last_seen_at = now(), seen_count = j.seen_count + 1
                ), gone AS (
                    UPDATE reservations r SET deleted_at = now(), updated_at = now()
                    FROM orphaned o WHERE r.id = o.id RETURNING 1
                )
                SELECT count(*) FROM gone
                """, [.text(tenantID), .text(runID)]).rows.first
            counts.deleted = withdrawn.flatMap { $0[0].flatMap { Int($0) } } ?? 0

            _ = try connection.query("""
                WITH unrated AS (
                    UPDATE reservations r SET rate_id = NULL, updated_at = now()
                    FROM rates rt
                    WHERE rt.tenant_id = $1 AND rt.deleted_at IS NOT NULL AND r.rate_id = rt.id AND r.tenant_id = $1
                    RETURNING r.booking_id, r.line_number, r.rate_external_id, r.data
                )
                INSERT INTO sync_rejects AS j (tenant_id, run_id, stream, external_id, reason, record)
                SELECT $1, $2, 'reservations', booking_id || '/' || line_number || ':rate',
                       \(ParentReason.rateSQL(rate: "rate_external_id")), data
                FROM unrated
                ON CONFLICT (tenant_id, stream, external_id) DO UPDATE SET
                    run_id = excluded.run_id, reason = excluded.reason, record = excluded.record,
                    last_seen_at = now(), seen_count = j.seen_count + 1
                """, [.text(tenantID), .text(runID)])
            _ = try connection.query("""
                WITH rerated AS (
                    UPDATE reservations r SET rate_id = rt.id, updated_at = now()
                    FROM sync_rejects j, rates rt
                    WHERE j.tenant_id = $1 AND j.stream = 'reservations' AND j.external_id LIKE '%:rate'
                      AND r.tenant_id = $1 AND r.booking_id || '/' || r.line_number || ':rate' = j.external_id
                      AND rt.tenant_id = $1 AND rt.external_id = r.rate_external_id AND rt.deleted_at IS NULL
                    RETURNING j.id
                )
                DELETE FROM sync_rejects WHERE id IN (SELECT id FROM rerated)
                """, [.text(tenantID)])
        } catch {
            throw SyncError.database(error, while: "carrying parent deletions to reservation lines")
        }

        let quarantined = """
            SELECT split_part(j.external_id, '/', 1)::bigint, split_part(j.external_id, '/', 2)::integer,
                   (j.record->'reserved_accommodation'->>'accommodation')::bigint, j.record::text,
                   nullif((j.record->'reserved_accommodation'->>'rate')::bigint, 0), NULL::bigint
            FROM sync_rejects j
            JOIN accommodations a ON a.tenant_id = $1 AND a.deleted_at IS NULL
                 AND a.external_id = (j.record->'reserved_accommodation'->>'accommodation')::bigint
            LEFT JOIN accommodation_types at ON at.id = a.accommodation_type_id
            WHERE j.tenant_id = $1 AND j.stream = 'reservations' AND j.reason LIKE 'quarantined:%'
              AND j.external_id ~ '^[0-9]+/[0-9]+$' AND at.deleted_at IS NULL
            """
        let released: Int
        do {
            let row = try connection.query("SELECT count(*) FROM (\(quarantined)) AS released", [.text(tenantID)]).rows.first
            released = row.flatMap { $0[0].flatMap { Int($0) } } ?? 0
        } catch {
            throw SyncError.database(error, while: "finding quarantined lines whose accommodation is listed again")
        }
        if released > 0 {
            // The same rows again, read by the upsert itself in the same transaction.
            var restored = try upsertStagedReservations(
                StagedRows.reservations.selecting(quarantined), fetched: released, duplicates: 0, on: connection
            )
            // These were not fetched by this run: only what was written back counts.
            restored.fetched = 0
            restored.unchanged = 0
            counts.add(restored)
        }
        return counts
    }
}
