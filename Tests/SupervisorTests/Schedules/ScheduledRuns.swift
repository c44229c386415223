import Foundation
import Postgres
@testable import SupervisorCore
import Support
import TestSupport

/// What the schedule tests read from the database: scheduled runs and schedule rows.
enum ScheduledRuns {
    static let everyTwoSeconds = TenantSchedule(.every(ScheduleDuration(seconds: 2)))

    /// Runs with trigger `schedule` of `tenantID`, optionally only those that have ended.
    static func count(_ url: String, tenant tenantID: String, ended: Bool = false) async throws -> Int {
        try await TestDatabase.scalar(url, """
            SELECT count(*) FROM sync_runs WHERE trigger = 'schedule' AND scope = $1 AND ($2::boolean IS FALSE OR finished_at IS NOT NULL)
            """, [.text(tenantID), .bool(ended)])
    }

    /// Runs with trigger `schedule` of `tenantID` fired for a slot after the epoch second `after`.
    static func count(_ url: String, tenant tenantID: String, slotAfter after: Double) async throws -> Int {
        try await TestDatabase.scalar(url, """
            SELECT count(*) FROM sync_runs WHERE trigger = 'schedule' AND scope = $1 AND scheduled_for > to_timestamp($2::float8)
            """, [.text(tenantID), .double(after)])
    }

    /// Runs of any trigger not ended yet.
    static func live(_ url: String) async throws -> Int {
        try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE finished_at IS NULL")
    }

    /// The database's clock, in seconds since 1970.
    static func databaseNow(_ url: String) async throws -> Double {
        Double(try await TestDatabase.text(url, "SELECT extract(epoch FROM now())::float8::text")) ?? 0
    }

    /// Pairs of scheduled runs of one tenant whose running times overlap: stacked syncs.
    static func overlapping(_ url: String) async throws -> Int {
        try await TestDatabase.scalar(url, """
            SELECT count(*) FROM sync_runs a JOIN sync_runs b ON a.scope = b.scope AND a.id < b.id
            WHERE a.trigger = 'schedule' AND b.trigger = 'schedule'
              AND tstzrange(coalesce(a.started_at, a.created_at), coalesce(a.finished_at, 'infinity'))
               && tstzrange(coalesce(b.started_at, b.created_at), coalesce(b.finished_at, 'infinity'))
            """)
    }
}
