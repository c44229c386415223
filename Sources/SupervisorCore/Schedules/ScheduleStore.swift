import Foundation
import Postgres

/// Reads and writes `tenant_schedules`, the stored next fire of every tenant, shared by every supervisor.
///
/// Fire times are computed here, in Swift (cron needs a calendar), from the database's clock, so
/// supervisors on machines whose clocks differ still agree on when a schedule is due.
struct ScheduleStore: Sendable {
    let database: PostgresClient
    /// This supervisor's id: the owner of the runs its fires store.
    let ownerID: String

    /// Stores each tenant's configured schedule (`nil`: on demand). A tenant whose stored schedule differs
    /// (or that has no row) gets its next fire computed afresh; the others keep theirs, so restarts and
    /// other supervisors with the same configuration never move a fire. Pauses are kept.
    ///
    /// Returns the tenants whose schedule changed.
    func apply(_ schedules: [String: TenantSchedule?]) async throws -> [String] {
        guard !schedules.isEmpty else { return [] }
        return try await database.withConnection { connection in
            let now = try Self.databaseNow(connection)
            // In a fixed order, so two supervisors applying the same tenants lock their rows in the same order.
            let tenantIDs = schedules.keys.sorted()
            let texts = tenantIDs.map { schedules[$0]??.storedText }
            let nextFires = tenantIDs.map { id in schedules[id]??.nextFire(after: now, tenantID: id).map { Self.epoch($0) } }
            return try connection.query("""
                INSERT INTO tenant_schedules AS s (tenant_id, schedule, next_fire_at)
                SELECT tenant_id, schedule, to_timestamp(next_fire::float8)
                FROM unnest($1::text[], $2::text[], $3::text[]) AS wanted (tenant_id, schedule, next_fire)
                ON CONFLICT (tenant_id) DO UPDATE SET schedule = EXCLUDED.schedule, next_fire_at = EXCLUDED.next_fire_at, updated_at = now()
                WHERE s.schedule IS DISTINCT FROM EXCLUDED.schedule
                RETURNING tenant_id
                """, [.textArray(tenantIDs), .textArray(texts), .textArray(nextFires)]).rows.map { try $0.decode(String.self, "tenant_id") }
        }
    }

    /// Fires the due, unpaused schedules of `tenantIDs`, in one transaction: each due row is locked
    /// (rows another supervisor is firing are skipped, not waited for), its `next_fire_at` moves to the
    /// first slot after now, and its run is stored, queued, with trigger `schedule`. Either all of that
    /// commits or none, so every fire stores exactly one run, on whichever supervisor claimed it.
    ///
    /// A tenant with a run queued or running anywhere is not fired: its fire is counted in
    /// `skipped_fires` and no run is stored. `reserve` is asked, inside the transaction, to take the
    /// tenant for the new run in this supervisor's memory; when it refuses (a run of the tenant is in
    /// hand here and not stored yet) the fire is skipped too.
    func claimDue(
        among tenantIDs: [String], limit: Int = 100, reserve: @escaping @Sendable (_ tenantID: String, _ runID: String) -> Bool
    ) async throws -> [ScheduleFire] {
        guard !tenantIDs.isEmpty else { return [] }
        let ownerID = self.ownerID
        return try await database.withConnection { connection in
            try connection.withTransaction { connection in
                let due = try connection.query("""
                    SELECT s.tenant_id, s.schedule, extract(epoch FROM s.next_fire_at)::float8 AS due,
                           extract(epoch FROM now())::float8 AS now,
                           (SELECT t.run_id FROM sync_run_tenants t JOIN sync_runs r ON r.id = t.run_id
                            WHERE t.tenant_id = s.tenant_id AND t.status IN ('queued', 'running') AND r.finished_at IS NULL
                            ORDER BY r.created_at LIMIT 1) AS busy_run_id
                    FROM tenant_schedules s
                    WHERE s.tenant_id = ANY($1::text[]) AND NOT s.paused AND s.next_fire_at <= now()
                    ORDER BY s.next_fire_at, s.tenant_id
                    LIMIT $2
                    FOR UPDATE OF s SKIP LOCKED
                    """, [.textArray(tenantIDs), .int(limit)]).rows
                var fires: [ScheduleFire] = []
                for row in due {
                    let tenantID = try row.decode(String.self, "tenant_id")
                    let slot = Date(timeIntervalSince1970: try row.decode(Double.self, "due"))
                    let now = Date(timeIntervalSince1970: try row.decode(Double.self, "now"))
                    let schedule: TenantSchedule
                    do {
                        schedule = try TenantSchedule(storedText: row["schedule"] ?? "")
                    } catch {
                        _ = try connection.query("UPDATE tenant_schedules SET next_fire_at = NULL, updated_at = now() WHERE tenant_id = $1", [.text(tenantID)])
                        fires.append(ScheduleFire(tenantID: tenantID, slot: slot, nextFireAt: nil, outcome: .unreadable("\(error)")))
                        continue
                    }
                    let next = schedule.nextFire(after: now, tenantID: tenantID)
                    let runID = RunCoordinator.makeRunID()
                    let outcome: ScheduleFire.Outcome
                    if let busy = row["busy_run_id"] {
                        outcome = .skipped(busyRunID: busy)
                    } else if !reserve(tenantID, runID) {
                        outcome = .skipped(busyRunID: nil)
                    } else {
                        try Self.insertScheduledRun(runID, tenantID: tenantID, slot: slot, ownerID: ownerID, connection: connection)
                        outcome = .started(runID: runID)
                    }
                    var startedRunID: String?
                    if case .started(let id) = outcome { startedRunID = id }
                    _ = try connection.query("""
                        UPDATE tenant_schedules SET next_fire_at = to_timestamp($2::float8), last_fired_at = now(),
                            last_run_id = coalesce($3, last_run_id), skipped_fires = skipped_fires + $4, updated_at = now()
                        WHERE tenant_id = $1
                        """, [
                            .text(tenantID), next.map { .text(Self.epoch($0)) } ?? .null, startedRunID.map { .text($0) } ?? .null,
                            .int(startedRunID == nil ? 1 : 0),
                        ])
                    fires.append(ScheduleFire(tenantID: tenantID, slot: slot, nextFireAt: next, outcome: outcome))
                }
                return fires
            }
        }
    }

    /// The options every scheduled run has: an ordinary incremental sync.
    static let scheduledRunOptions = SyncOptions()

    /// Stores a queued one-tenant run with trigger `schedule`, for `slot`.
    private static func insertScheduledRun(_ runID: String, tenantID: String, slot: Date, ownerID: String, connection: PostgresConnection) throws {
        let options = String(decoding: try APIJSON.encoder.encode(scheduledRunOptions), as: UTF8.self)
        _ = try connection.query("""
            WITH run AS (
                INSERT INTO sync_runs (id, scope, trigger, status, options, owner_id, scheduled_for)
                VALUES ($1, $2, $3, 'queued', $4::jsonb, $5, to_timestamp($6::float8)) RETURNING id
            )
            INSERT INTO sync_run_tenants (run_id, tenant_id, status) SELECT run.id, $2, 'queued' FROM run
            """, [.text(runID), .text(tenantID), .text(RunCoordinator.scheduleTrigger), .text(options), .text(ownerID), .text(epoch(slot))])
    }

    /// Pauses the tenant's schedule (creating its row with `configured` if it has none); fires stop on every supervisor.
    func pause(_ tenantID: String, configured: TenantSchedule?) async throws -> ScheduleState {
        try await setPaused(true, tenantID: tenantID, configured: configured)
    }

    /// Resumes the tenant's schedule; its next fire is the first slot after now: fires missed while
    /// paused are not made up for.
    func resume(_ tenantID: String, configured: TenantSchedule?) async throws -> ScheduleState {
        try await setPaused(false, tenantID: tenantID, configured: configured)
    }

    private func setPaused(_ paused: Bool, tenantID: String, configured: TenantSchedule?) async throws -> ScheduleState {
        try await database.withConnection { connection in
            try connection.withTransaction { connection in
                let now = try Self.databaseNow(connection)
                let stored = try connection.query(
                    "SELECT schedule FROM tenant_schedules WHERE tenant_id = $1 FOR UPDATE", [.text(tenantID)]
                ).rows.first
                // The stored schedule is the one in force; the configured one only for a tenant without a row yet.
                let schedule = stored.map { $0["schedule"].flatMap { try? TenantSchedule(storedText: $0) } } ?? configured
                let next = schedule?.nextFire(after: now, tenantID: tenantID).map { Self.epoch($0) }
                let row = try connection.query("""
                    INSERT INTO tenant_schedules AS s (tenant_id, schedule, next_fire_at, paused)
                    VALUES ($1, $2, to_timestamp($3::float8), $4)
                    ON CONFLICT (tenant_id) DO UPDATE SET paused = $4, updated_at = now(),
                        next_fire_at = CASE WHEN $4 THEN s.next_fire_at ELSE EXCLUDED.next_fire_at END
                    RETURNING extract(epoch FROM next_fire_at)::float8 AS next_fire, paused
                    """, [.text(tenantID), configured.map { .text($0.storedText) } ?? .null, next.map { .text($0) } ?? .null, .bool(paused)]).rows
                return try Self.state(try row.first ?? { throw ScheduleError("tenant_schedules returned no row for \(tenantID)") }())
            }
        }
    }

    /// The stored state of each of `tenantIDs` that has a row.
    func states(of tenantIDs: [String]) async throws -> [String: ScheduleState] {
        guard !tenantIDs.isEmpty else { return [:] }
        return try await database.withConnection { connection in
            var states: [String: ScheduleState] = [:]
            for row in try connection.query("""
                SELECT tenant_id, extract(epoch FROM next_fire_at)::float8 AS next_fire, paused
                FROM tenant_schedules WHERE tenant_id = ANY($1::text[])
                """, [.textArray(tenantIDs)]).rows {
                states[try row.decode(String.self, "tenant_id")] = try Self.state(row)
            }
            return states
        }
    }

    private static func state(_ row: PostgresRow) throws -> ScheduleState {
        ScheduleState(
            nextFireAt: try row.decode(Double?.self, "next_fire").map { Date(timeIntervalSince1970: $0) },
            paused: try row.decode(Bool.self, "paused")
        )
    }

    /// The database's clock, which decides when schedules are due.
    private static func databaseNow(_ connection: PostgresConnection) throws -> Date {
        let row = try connection.query("SELECT extract(epoch FROM clock_timestamp())::float8 AS now", []).rows.first
        return Date(timeIntervalSince1970: try row?.decode(Double.self, "now") ?? Date().timeIntervalSince1970)
    }

    /// An instant as seconds since 1970 in text, for `to_timestamp($n::float8)`.
    private static func epoch(_ date: Date) -> String {
        String(date.timeIntervalSince1970)
    }
}
