import Foundation
import IPC
import Postgres

/// Reads and writes runs in PostgreSQL, so they outlive the supervisor.
struct RunStore: Sendable {
    let database: PostgresClient
    let ownerID: String

    /// Records a new queued run with one queued row per tenant.
    func create(runID: String, scope: String, trigger: String, tenantIDs: [String], options: SyncOptions) async throws {
        let optionsJSON = String(decoding: try APIJSON.encoder.encode(options), as: UTF8.self)
        // One statement, so one round trip, and atomic without BEGIN and COMMIT: this sits on the
        // path of every POST /api/sync, which answers only once the run is stored.
        try await database.withConnection { [ownerID] connection in
            _ = try connection.query("""
                WITH run AS (
                    INSERT INTO sync_runs (id, scope, trigger, status, options, owner_id)
                    VALUES ($1, $2, $3, 'queued', $4::jsonb, $5) RETURNING id
                )
                INSERT INTO sync_run_tenants (run_id, tenant_id, status)
                SELECT run.id, tenant_id, 'queued' FROM run, unnest($6::text[]) AS tenant_id
                """, [.text(runID), .text(scope), .text(trigger), .text(optionsJSON), .text(ownerID), .textArray(tenantIDs)])
        }
    }

    /// Marks the run running, unless it has ended already: a cancel that reached it between its storing
    /// and its start (on this or another supervisor) may have ended it.
    func markRunStarted(_ runID: String) async throws {
        try await database.withConnection { connection in
            _ = try connection.query(
                "UPDATE sync_runs SET status = 'running', started_at = coalesce(started_at, now()) WHERE id = $1 AND finished_at IS NULL",
                [.text(runID)]
            )
        }
    }

    func markTenantStarted(_ runID: String, tenantID: String) async throws {
        try await database.withConnection { connection in
            _ = try connection.query("""
                UPDATE sync_run_tenants SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now())
                WHERE run_id = $1 AND tenant_id = $2
                """, [.text(runID), .text(tenantID)])
        }
    }

    /// Stores a tenant's final result: status, per-stream results and totals, and the attempts it took
    /// here (the claim counted the first). Only a row not ended yet changes, so a retry of a write whose
    /// answer was lost changes nothing.
    func finishTenant(_ runID: String, tenantID: String, status: TenantRunStatus, result: RunResult, attempts: Int = 1) async throws {
        let streamsJSON = String(decoding: try APIJSON.encoder.encode(result.streams), as: UTF8.self)
        let totals = result.totals
        try await database.withConnection { connection in
            _ = try connection.query("""
                UPDATE sync_run_tenants SET status = $3, streams = $4::jsonb, fetched = $5, created = $6, updated = $7,
                    unchanged = $8, rejected = $9, error = $10, finished_at = now(), attempts = attempts + $11
                WHERE run_id = $1 AND tenant_id = $2 AND finished_at IS NULL
                """, [
                    .text(runID), .text(tenantID), .text(status.rawValue), .text(streamsJSON), .int(totals.fetched), .int(totals.created),
                    .int(totals.updated), .int(totals.unchanged), .int(totals.rejected), result.error.map { .text($0) } ?? .null,
                    .int(max(attempts, 1) - 1),
                ])
        }
    }

    /// Ends the run with the outcome of `tenants` and, in the same transaction, writes its callback
    /// deliveries to the outbox. The run ends `cancelled` if it was cancelled here (`cancelled`) or a
    /// cancel was recorded in its row by another supervisor before this transaction took the row.
    @discardableResult
    func finishRun(_ runID: String, tenants: [TenantRunStatus], cancelled: Bool, outbox: some RunEndOutbox) async throws -> RunSnapshot? {
        try await database.withConnection { connection in
            try connection.withTransaction { connection in
                let requested = try connection.query(
                    "SELECT cancel_requested_at IS NOT NULL AS requested FROM sync_runs WHERE id = $1 FOR UPDATE", [.text(runID)]
                ).rows.first?["requested"] == "t"
                let outcome = RunOutcome(tenants: tenants, cancelled: cancelled || requested)
                // With several supervisors, the one that ran the last tenant may have ended the run already.
                let ended = try connection.query(
                    "UPDATE sync_runs SET status = $2, error = $3, finished_at = now() WHERE id = $1 AND finished_at IS NULL RETURNING id",
                    [.text(runID), .text(outcome.status.rawValue), outcome.error.map { .text($0) } ?? .null]
                ).rows.count == 1
                guard let snapshot = try RunRow.snapshot(runID, connection: connection) else { return nil }
                if ended { try outbox.enqueue(snapshot, connection: connection) }
                return snapshot
            }
        }
    }

    /// Marks one queued tenant of the run as cancelled; false if it had already started.
    func cancelQueuedTenant(_ runID: String, tenantID: String) async throws -> Bool {
        try await database.withConnection { connection in
            try connection.query("""
                UPDATE sync_run_tenants SET status = 'cancelled', error = 'run cancelled before the tenant started', finished_at = now()
                WHERE run_id = $1 AND tenant_id = $2 AND status = 'queued' RETURNING tenant_id
                """, [.text(runID), .text(tenantID)]).rows.count == 1
        }
    }

    /// Recent runs, newest first, optionally only those including a tenant, of a scope, or with a status.
    func list(tenant: String?, scope: String?, status: RunStatus?, limit: Int) async throws -> [RunSnapshot] {
        try await database.withConnection { connection in
            let ids = try connection.query("""
                SELECT id FROM sync_runs r
                WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM sync_run_tenants t WHERE t.run_id = r.id AND t.tenant_id = $1))
                  AND ($2::text IS NULL OR r.scope = $2)
                  AND ($3::text IS NULL OR r.status = $3)
                ORDER BY created_at DESC, id DESC LIMIT $4
                """, [tenant.map { .text($0) } ?? .null, scope.map { .text($0) } ?? .null, status.map { .text($0.rawValue) } ?? .null, .int(limit)])
                .rows.map { try $0.decode(String.self, "id") }
            return try ids.compactMap { try RunRow.snapshot($0, connection: connection) }
        }
    }

    /// Marks runs a dead supervisor left queued or running as interrupted: this supervisor's own id's
    /// (a restart with a fixed `supervisor_id`) and those of `deadOwners` (dead predecessors on this host
    /// with the default `host:pid` id). Returns them with their unfinished tenants.
    func interruptAbandonedRuns(outbox: some RunEndOutbox, deadOwners: [String] = []) async throws -> [AbandonedRun] {
        let owners = [ownerID] + deadOwners
        return try await database.withConnection { connection in
            try connection.withTransaction { connection in
                let unfinished = try connection.query("""
                    UPDATE sync_run_tenants t SET status = 'interrupted', error = 'supervisor stopped before the tenant finished', finished_at = now()
                    FROM sync_runs r
                    WHERE r.id = t.run_id AND t.status IN ('queued', 'running')
                      AND r.status IN ('queued', 'running') AND (r.owner_id = ANY($1::text[]) OR r.owner_id IS NULL)
                    RETURNING t.run_id, t.tenant_id, r.scope, r.options::text AS options
                    """, [.textArray(owners)]).rows
                let ids = try connection.query("""
                    UPDATE sync_runs SET status = 'interrupted', error = 'supervisor stopped before the run finished', finished_at = now()
                    WHERE status IN ('queued', 'running') AND (owner_id = ANY($1::text[]) OR owner_id IS NULL)
                    RETURNING id
                    """, [.textArray(owners)]).rows.map { try $0.decode(String.self, "id") }
                // Interrupted runs ended too: their callbacks go out like any other.
                for runID in ids {
                    if let snapshot = try RunRow.snapshot(runID, connection: connection) { try outbox.enqueue(snapshot, connection: connection) }
                }
                var abandoned: [String: AbandonedRun] = [:]
                for row in unfinished {
                    let runID = try row.decode(String.self, "run_id")
                    let options = (try? JSONDecoder().decode(SyncOptions.self, from: Data((row["options"] ?? "{}").utf8))) ?? SyncOptions()
                    abandoned[runID, default: AbandonedRun(runID: runID, scope: row["scope"] ?? "all", options: options, tenantIDs: [])]
                        .tenantIDs.append(try row.decode(String.self, "tenant_id"))
                }
                for runID in ids where abandoned[runID] == nil {
                    abandoned[runID] = AbandonedRun(runID: runID, scope: "all", options: SyncOptions(), tenantIDs: [])
                }
                return abandoned.values.sorted { $0.runID < $1.runID }
            }
        }
    }

    /// The run with its tenants, or `nil` if there is no such run.
    func fetch(_ runID: String) async throws -> RunSnapshot? {
        try await database.withConnection { connection in try RunRow.snapshot(runID, connection: connection) }
    }
}
