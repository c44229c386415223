import Foundation
import IPC
import Postgres

/// How the rows of the runs tables read back: a run with its tenants as a ``RunSnapshot``, a status
/// column as its type, a timestamp as RFC 3339 text. ``RunStore`` and the stores that end runs share it.
enum RunRow {
    /// Timestamps as RFC 3339 text in UTC, straight from the database.
    static func timestamp(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS \(column)"
    }

    /// The run `runID` with its tenants, or `nil` if there is no such run.
    static func snapshot(_ runID: String, connection: PostgresConnection) throws -> RunSnapshot? {
        let runs = try connection.query("""
            SELECT id, scope, trigger, status, error, \(timestamp("created_at")), \(timestamp("started_at")),
                   \(timestamp("finished_at")), options::text AS options,
                   extract(epoch FROM coalesce(finished_at, now()) - coalesce(started_at, created_at))::float8::text AS duration
            FROM sync_runs WHERE id = $1
            """, [.text(runID)]).rows
        guard let run = runs.first else { return nil }
        let tenants = try connection.query("""
            SELECT tenant_id, status, attempts, streams::text AS streams, fetched, created, updated, unchanged, rejected, error,
                   \(timestamp("started_at")), \(timestamp("finished_at"))
            FROM sync_run_tenants WHERE run_id = $1 ORDER BY tenant_id
            """, [.text(runID)]).rows.map(tenant(from:))
        var totals = StreamCounts()
        for tenant in tenants { totals.add(tenant.counts) }
        return RunSnapshot(
            runID: try run.decode(String.self, "id"), scope: try run.decode(String.self, "scope"),
            trigger: try run.decode(String.self, "trigger"), status: try status(run.decode(String.self, "status")),
            error: run["error"], createdAt: try run.decode(String.self, "created_at"), startedAt: run["started_at"],
            finishedAt: run["finished_at"], totals: totals, tenants: tenants,
            options: try? JSONDecoder().decode(SyncOptions.self, from: Data((run["options"] ?? "{}").utf8)),
            durationSeconds: run["duration"].flatMap(Double.init)
        )
    }

    /// A tenant's row of `sync_run_tenants`, as selected by ``snapshot(_:connection:)``.
    private static func tenant(from row: PostgresRow) throws -> TenantRunSnapshot {
        var counts = StreamCounts(
            fetched: try row.decode(Int.self, "fetched"), created: try row.decode(Int.self, "created"),
            updated: try row.decode(Int.self, "updated"), unchanged: try row.decode(Int.self, "unchanged"),
            rejected: try row.decode(Int.self, "rejected")
        )
        let streams = try JSONDecoder().decode([StreamResult].self, from: Data((row["streams"] ?? "[]").utf8))
        // Rows marked deleted have no column of their own; the streams carry them.
        counts.deleted = streams.reduce(0) { $0 + $1.counts.deleted }
        return TenantRunSnapshot(
            tenantID: try row.decode(String.self, "tenant_id"), status: try status(row.decode(String.self, "status")),
            attempts: try row.decode(Int.self, "attempts"), counts: counts, streams: streams, error: row["error"],
            startedAt: row["started_at"], finishedAt: row["finished_at"], progress: nil
        )
    }

    /// A status column's value as its type; a value no version of tenantsync writes is an error.
    static func status<Status: RawRepresentable<String>>(_ text: String) throws -> Status {
        guard let status = Status(rawValue: text) else { throw RunStoreError(message: "unknown status \"\(text)\" in the runs tables") }
        return status
    }
}
