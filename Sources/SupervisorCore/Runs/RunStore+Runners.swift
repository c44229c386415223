import Foundation
import IPC
import Postgres

/// Run rows shared by several supervisors: each tenant row is claimed by the supervisor that runs it
/// (the holder of the tenant's lease), and the run ends when its last tenant does, whoever ran it.
extension RunStore {
    /// A tenant row of a run, queued (or left running by a supervisor that is gone) for a tenant held here.
    struct PendingTenant: Sendable {
        var runID: String
        var tenantID: String
        var options: SyncOptions
        /// The run was asked to cancel: the row is cancelled rather than run.
        var cancelRequested = false
    }

    /// Claims the tenant row of the run for this supervisor: `queued`, or `running` under a runner that is
    /// no longer a live member. False when another supervisor has it (or it has ended).
    func claimTenant(_ runID: String, tenantID: String) async throws -> Bool {
        try await database.withConnection { [ownerID] connection in
            try connection.query("""
                UPDATE sync_run_tenants t SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()), runner_id = $3
                WHERE run_id = $1 AND tenant_id = $2
                  AND (status = 'queued' OR (status = 'running' AND runner_id IS DISTINCT FROM $3 AND NOT EXISTS (
                      SELECT 1 FROM supervisor_members m WHERE m.supervisor_id = t.runner_id AND m.expires_at > now())))
                RETURNING tenant_id
                """, [.text(runID), .text(tenantID), .text(ownerID)]).rows.count == 1
        }
    }

    /// Tenant rows this supervisor should run: those of `heldTenants` queued in unfinished runs, or left
    /// `running` by a supervisor that is no longer live. Oldest runs first.
    func pendingTenants(held heldTenants: [String]) async throws -> [PendingTenant] {
        guard !heldTenants.isEmpty else { return [] }
        return try await database.withConnection { [ownerID] connection in
            try connection.query("""
                SELECT t.run_id, t.tenant_id, r.options::text AS options, r.cancel_requested_at IS NOT NULL AS cancel_requested
                FROM sync_run_tenants t JOIN sync_runs r ON r.id = t.run_id
                WHERE t.tenant_id = ANY($1::text[]) AND r.finished_at IS NULL AND r.status IN ('queued', 'running')
                  AND (t.status = 'queued' OR (t.status = 'running' AND t.runner_id IS DISTINCT FROM $2 AND NOT EXISTS (
                      SELECT 1 FROM supervisor_members m WHERE m.supervisor_id = t.runner_id AND m.expires_at > now())))
                ORDER BY r.created_at, t.run_id, t.tenant_id LIMIT 100
                """, [.textArray(heldTenants), .text(ownerID)]).rows.map { row in
                    PendingTenant(
                        runID: try row.decode(String.self, "run_id"), tenantID: try row.decode(String.self, "tenant_id"),
                        options: (try? JSONDecoder().decode(SyncOptions.self, from: Data((row["options"] ?? "{}").utf8))) ?? SyncOptions(),
                        cancelRequested: row["cancel_requested"] == "t"
                    )
                }
        }
    }

    /// The tenant's row of the run once it has ended (any status but `queued` and `running`), else `nil`.
    func endedTenant(_ runID: String, tenantID: String) async throws -> TenantRunSnapshot? {
        try await database.withConnection { connection in
            guard let snapshot = try RunRow.snapshot(runID, connection: connection) else { return nil }
            return snapshot.tenants.first { $0.tenantID == tenantID && !$0.status.isLive }
        }
    }

    /// Ends a run once none of its tenants is queued or running any more, writing its callbacks in the
    /// same transaction; `cancelled` if a cancel is recorded in its row. A run this supervisor owns and
    /// has in memory (`ownRunLiveHere`) is left to its own ending. Returns whether this call ended it.
    func endRunIfLast(_ runID: String, ownRunLiveHere: Bool, outbox: some RunEndOutbox) async throws -> Bool {
        try await database.withConnection { [ownerID] connection in
            try connection.withTransaction { connection in
                let runs = try connection.query("""
                    SELECT owner_id, cancel_requested_at IS NOT NULL AS cancel_requested
                    FROM sync_runs WHERE id = $1 AND finished_at IS NULL FOR UPDATE
                    """, [.text(runID)]).rows
                guard let run = runs.first, run["owner_id"] != ownerID || !ownRunLiveHere else { return false }
                let statuses = try connection.query(
                    "SELECT status FROM sync_run_tenants WHERE run_id = $1", [.text(runID)]
                ).rows.map { row -> TenantRunStatus in try RunRow.status(row.decode(String.self, "status")) }
                guard !statuses.contains(where: \.isLive) else { return false }
                let outcome = RunOutcome(tenants: statuses, cancelled: run["cancel_requested"] == "t")
                _ = try connection.query(
                    "UPDATE sync_runs SET status = $2, error = $3, finished_at = now() WHERE id = $1",
                    [.text(runID), .text(outcome.status.rawValue), outcome.error.map { .text($0) } ?? .null]
                )
                if let snapshot = try RunRow.snapshot(runID, connection: connection) { try outbox.enqueue(snapshot, connection: connection) }
                return true
            }
        }
    }
}
