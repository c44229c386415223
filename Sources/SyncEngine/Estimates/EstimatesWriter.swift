import IPC
import Postgres

/// Writes estimates a page at a time: ``StagedRows/records`` from array parameters, read by one
/// `INSERT … SELECT … ON CONFLICT … WHERE … IS DISTINCT FROM` whose counts come from the database.
struct EstimatesWriter {
    let tenantID: String
    let runID: String

    func upsert(_ records: [EstimateRecord], on connection: PostgresConnection) throws(SyncError) -> StreamCounts {
        guard !records.isEmpty else { return StreamCounts() }
        var seen = Set<String>()
        let unique = records.reversed().filter { seen.insert($0.id).inserted }.reversed()
        let staged = StagedRows.records.rows(unique.map { [.text($0.id), .text($0.json)] }, firstParameter: 2)
        do {
            let row = try connection.query("""
                WITH \(staged.definition), input AS (
                    SELECT external_id, data FROM record_staging
                ), written AS (
                    INSERT INTO estimates AS t
                        (tenant_id, external_id, name, customer_name, status, total, upstream_created_at, upstream_updated_at, data)
                    SELECT $1, external_id, data->>'name', data->>'customer_name', data->>'status',
                           (data->>'total')::numeric, (data->>'created_at')::timestamptz, (data->>'updated_at')::timestamptz, data
                    FROM input
                    ON CONFLICT (tenant_id, external_id) DO UPDATE SET
                        name = excluded.name, customer_name = excluded.customer_name, status = excluded.status,
                        total = excluded.total, upstream_created_at = excluded.upstream_created_at,
                        upstream_updated_at = excluded.upstream_updated_at, data = excluded.data,
                        updated_at = now(), deleted_at = NULL
                    WHERE t.data IS DISTINCT FROM excluded.data OR t.deleted_at IS NOT NULL
                    RETURNING (xmax = 0) AS inserted
                )
                SELECT count(*) FILTER (WHERE inserted) AS created, count(*) FILTER (WHERE NOT inserted) AS updated FROM written
                """, [.text(tenantID)] + staged.parameters).rows.first
            let created = try row?.decode(Int.self, "created") ?? 0
            let updated = try row?.decode(Int.self, "updated") ?? 0
            return StreamCounts(fetched: records.count, created: created, updated: updated, unchanged: records.count - created - updated)
        } catch {
            throw SyncError.database(error, while: "writing estimates")
        }
    }

    func reject(records: [(json: String, reason: String)], on connection: PostgresConnection) throws(SyncError) {
        try MotoPressWriter(tenantID: tenantID, runID: runID).reject(stream: "estimates", records: records, on: connection)
    }

    func softDelete(stream: String, on connection: PostgresConnection) throws(SyncError) -> Int {
        try MotoPressWriter(tenantID: tenantID, runID: runID).softDelete(table: "estimates", keyColumn: "external_id", stream: stream, on: connection)
    }
}
