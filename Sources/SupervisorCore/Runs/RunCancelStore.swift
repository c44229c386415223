import Foundation
import IPC
import Postgres

/// Cancels recorded in the run's row (`cancel_requested_at`), so that they reach a run wherever its
/// owner and its tenants' runners are.
struct RunCancelStore: Sendable {
    let database: PostgresClient
    /// This supervisor's id, as in ``RunStore/ownerID``.
    let ownerID: String

    init(_ runs: RunStore) {
        database = runs.database
        ownerID = runs.ownerID
    }

    /// What a cancel of a run this supervisor does not have in memory came to.
    enum CancelRequest: Sendable, Equatable {
        /// The run had already ended; nothing changed.
        case alreadyEnded
        /// Recorded for the run's owner, another live supervisor, which stops it at its next look.
        case forwarded(owner: String)
        /// Ended here, `cancelled`, with its callback in the outbox: nothing ran it any more.
        case endedHere
        /// Its waiting tenants are cancelled; the ones still syncing (here or on other live supervisors)
        /// stop at their runner's next look, and the last of them ends the run.
        case cancelling
    }

    /// Records that the runs were asked to cancel, where not recorded yet and not ended.
    func recordCancelRequests(_ runIDs: [String]) async throws {
        guard !runIDs.isEmpty else { return }
        try await database.withConnection { connection in
            _ = try connection.query("""
                UPDATE sync_runs SET cancel_requested_at = now()
                WHERE id = ANY($1::text[]) AND cancel_requested_at IS NULL AND finished_at IS NULL
                """, [.textArray(runIDs)])
        }
    }

    /// Those of `runIDs` asked to cancel (by any supervisor) and not ended yet.
    func cancelRequested(among runIDs: [String]) async throws -> [String] {
        guard !runIDs.isEmpty else { return [] }
        return try await database.withConnection { connection in
            try connection.query("""
                SELECT id FROM sync_runs WHERE id = ANY($1::text[]) AND cancel_requested_at IS NOT NULL AND finished_at IS NULL
                """, [.textArray(runIDs)]).rows.map { try $0.decode(String.self, "id") }
        }
    }

    /// Cancels a run that is not live in this supervisor's memory, in one transaction under the run's row lock.
    ///
    /// The request is recorded. If the run's owner is another live supervisor, that is all: the owner
    /// stops it. Otherwise (the owner is this supervisor, which no longer has the run in memory, or a
    /// supervisor that is gone) this call stands in for the owner: waiting tenant rows are cancelled, and
    /// so are rows left `running` by a runner that is gone or by this supervisor without syncing them
    /// (`syncingHere` are the tenants it does sync for the run); if no tenant is left live, the run ends
    /// `cancelled` with its callback.
    func requestCancel(_ runID: String, syncingHere: [String], outbox: some RunEndOutbox) async throws -> CancelRequest {
        try await database.withConnection { [ownerID] connection in
            try connection.withTransaction { connection in
                let runs = try connection.query("""
                    SELECT owner_id, EXISTS (
                        SELECT 1 FROM supervisor_members m WHERE m.supervisor_id = r.owner_id AND m.expires_at > now()
                    ) AS owner_live
                    FROM sync_runs r WHERE id = $1 AND finished_at IS NULL FOR UPDATE
                    """, [.text(runID)]).rows
                guard let run = runs.first else { return .alreadyEnded }
                _ = try connection.query(
                    "UPDATE sync_runs SET cancel_requested_at = coalesce(cancel_requested_at, now()) WHERE id = $1", [.text(runID)]
                )
                let owner = run["owner_id"] ?? ""
                if owner != ownerID, run["owner_live"] == "t" { return .forwarded(owner: owner) }
                _ = try connection.query("""
                    UPDATE sync_run_tenants t SET status = 'cancelled', error = 'run cancelled before the tenant started', finished_at = now()
                    WHERE run_id = $1 AND status = 'queued'
                    """, [.text(runID)])
                _ = try connection.query("""
                    UPDATE sync_run_tenants t SET status = 'cancelled', error = 'run cancelled; the supervisor syncing the tenant had stopped', finished_at = now()
                    WHERE run_id = $1 AND status = 'running' AND (
                        t.runner_id IS NULL
                        OR (t.runner_id = $2 AND NOT t.tenant_id = ANY($3::text[]))
                        OR NOT EXISTS (SELECT 1 FROM supervisor_members m WHERE m.supervisor_id = t.runner_id AND m.expires_at > now()))
                    """, [.text(runID), .text(ownerID), .textArray(syncingHere)])
                let statuses = try connection.query(
                    "SELECT status FROM sync_run_tenants WHERE run_id = $1", [.text(runID)]
                ).rows.map { row -> TenantRunStatus in try RunRow.status(row.decode(String.self, "status")) }
                guard !statuses.contains(where: \.isLive) else { return .cancelling }
                let outcome = RunOutcome(tenants: statuses, cancelled: true)
                _ = try connection.query(
                    "UPDATE sync_runs SET status = $2, error = $3, finished_at = now() WHERE id = $1",
                    [.text(runID), .text(outcome.status.rawValue), outcome.error.map { .text($0) } ?? .null]
                )
                if let snapshot = try RunRow.snapshot(runID, connection: connection) { try outbox.enqueue(snapshot, connection: connection) }
                return .endedHere
            }
        }
    }

    /// Cancels a tenant row of a run asked to cancel instead of running it: `queued`, or left `running`
    /// by a runner that is no longer a live member. False when another supervisor has it (or it has ended).
    func cancelUnclaimedTenant(_ runID: String, tenantID: String) async throws -> Bool {
        try await database.withConnection { [ownerID] connection in
            try connection.query("""
                UPDATE sync_run_tenants t SET status = 'cancelled', error = 'run cancelled before the tenant started', finished_at = now()
                WHERE run_id = $1 AND tenant_id = $2
                  AND (status = 'queued' OR (status = 'running' AND runner_id IS DISTINCT FROM $3 AND NOT EXISTS (
                      SELECT 1 FROM supervisor_members m WHERE m.supervisor_id = t.runner_id AND m.expires_at > now())))
                RETURNING tenant_id
                """, [.text(runID), .text(tenantID), .text(ownerID)]).rows.count == 1
        }
    }
}
