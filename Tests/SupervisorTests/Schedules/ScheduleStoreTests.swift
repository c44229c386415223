import Foundation
import Postgres
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Schedules in PostgreSQL: claims under row locks, busy tenants, catch-up, pause and resume")
struct ScheduleStoreTests {
    static let tenants = (1...5).map { "store-tenant-\($0)" }
    static let everySecond = TenantSchedule(.every(ScheduleDuration(seconds: 1)))
    static let hourly = TenantSchedule(.every(ScheduleDuration(seconds: 3_600)))

    /// Runs `body` with two stores (two supervisors' ids) on a fresh migrated database holding `schedules`.
    func withStores(_ schedules: [String: TenantSchedule?], _ body: (ScheduleStore, ScheduleStore, String) async throws -> Void) async throws {
        try await TestDatabase.withDatabase { url in
            let database = PostgresClient(url: url, maximumConnections: 4)
            defer { database.shutdown() }
            let a = ScheduleStore(database: database, ownerID: "sup-a")
            let b = ScheduleStore(database: database, ownerID: "sup-b")
            #expect(Set(try await a.apply(schedules)) == Set(schedules.keys))
            try await body(a, b, url)
        }
    }

    /// Makes every schedule due: as if its `next_fire_at` had passed `seconds` ago.
    func makeDue(_ url: String, secondsAgo seconds: Int = 1) async throws {
        _ = try await TestDatabase.scalar(url, "WITH due AS (UPDATE tenant_schedules SET next_fire_at = now() - make_interval(secs => $1) RETURNING 1) SELECT count(*) FROM due", [.int(seconds)])
    }

    /// Ends every run as succeeded, so no tenant is busy.
    func endRuns(_ url: String) async throws {
        _ = try await TestDatabase.scalar(url, "WITH t AS (UPDATE sync_run_tenants SET status = 'succeeded', finished_at = now() RETURNING 1) SELECT count(*) FROM t")
        _ = try await TestDatabase.scalar(url, "WITH r AS (UPDATE sync_runs SET status = 'succeeded', finished_at = now() RETURNING 1) SELECT count(*) FROM r")
    }

    @Test("two supervisors claiming the same due schedules at once, twenty times over, store exactly one run per tenant per fire")
    func concurrentClaims() async throws {
        let schedules = Dictionary(uniqueKeysWithValues: Self.tenants.map { ($0, Optional(Self.everySecond)) })
        try await withStores(schedules) { a, b, url in
            for round in 1...20 {
                try await makeDue(url)
                async let claimedByA = a.claimDue(among: Self.tenants) { _, _ in true }
                async let claimedByB = b.claimDue(among: Self.tenants) { _, _ in true }
                let fires = try await claimedByA + claimedByB
                let started = fires.filter { if case .started = $0.outcome { true } else { false } }
                #expect(started.count == Self.tenants.count, "round \(round): \(fires)")
                #expect(Set(started.map(\.tenantID)).count == Self.tenants.count, "round \(round): each tenant fired once")
                let runs = try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE trigger = 'schedule'")
                #expect(runs == round * Self.tenants.count)
                try await endRuns(url)
            }
            // Each run is one tenant's, for one slot, and the schedule row names the last.
            #expect(try await TestDatabase.scalar(url, "SELECT count(DISTINCT (scope, scheduled_for)) FROM sync_runs") == 20 * Self.tenants.count)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_run_tenants t JOIN sync_runs r ON r.id = t.run_id WHERE t.tenant_id = r.scope") == 20 * Self.tenants.count)
            #expect(try await TestDatabase.scalar(url, """
                SELECT count(*) FROM tenant_schedules s
                WHERE s.last_run_id = (SELECT id FROM sync_runs r WHERE r.scope = s.tenant_id ORDER BY scheduled_for DESC LIMIT 1)
                  AND s.next_fire_at > s.last_fired_at
                """) == Self.tenants.count)
        }
    }

    @Test("a tenant with a run queued or running is not fired: the fire is counted as skipped and its next one still moves on")
    func busyTenantSkipped() async throws {
        try await withStores(["busy": Self.hourly, "idle": Self.hourly]) { a, _, url in
            try await makeDue(url)
            let first = try await a.claimDue(among: ["busy", "idle"]) { _, _ in true }
            #expect(first.count == 2)
            // "busy"'s run is still running; "idle"'s ended.
            _ = try await TestDatabase.scalar(url, """
                WITH ended AS (UPDATE sync_run_tenants SET status = 'succeeded', finished_at = now() WHERE tenant_id = 'idle' RETURNING run_id),
                     runs AS (UPDATE sync_runs SET status = 'succeeded', finished_at = now() WHERE id IN (SELECT run_id FROM ended) RETURNING 1)
                SELECT count(*) FROM runs
                """)
            let busyRun = try await TestDatabase.text(url, "SELECT run_id FROM sync_run_tenants WHERE tenant_id = 'busy'")
            try await makeDue(url)
            let second = try await a.claimDue(among: ["busy", "idle"]) { _, _ in true }
            #expect(second.first { $0.tenantID == "busy" }?.outcome == .skipped(busyRunID: busyRun))
            #expect(second.first { $0.tenantID == "idle" }.map { if case .started = $0.outcome { true } else { false } } == true)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE scope = 'busy'") == 1)
            #expect(try await TestDatabase.scalar(url, "SELECT skipped_fires FROM tenant_schedules WHERE tenant_id = 'busy'") == 1)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM tenant_schedules WHERE tenant_id = 'busy' AND next_fire_at > now()") == 1)

            // A refusal from this supervisor's memory (a run in hand, not stored yet) skips the fire too.
            try await endRuns(url)
            try await makeDue(url)
            let refused = try await a.claimDue(among: ["busy"]) { _, _ in false }
            #expect(refused.map(\.outcome) == [.skipped(busyRunID: nil)])
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE scope = 'busy'") == 1)
        }
    }

    @Test("a schedule three hours overdue fires once, and its next fire is the first slot after now")
    func catchUpOnce() async throws {
        try await withStores(["late": Self.hourly]) { a, b, url in
            try await makeDue(url, secondsAgo: 3 * 3_600 + 60)
            let fires = try await a.claimDue(among: ["late"]) { _, _ in true }
            #expect(fires.count == 1)
            try await endRuns(url)
            // Neither supervisor finds anything more to fire.
            #expect(try await a.claimDue(among: ["late"]) { _, _ in true }.isEmpty)
            #expect(try await b.claimDue(among: ["late"]) { _, _ in true }.isEmpty)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs") == 1)
            #expect(try await TestDatabase.scalar(url, """
                SELECT count(*) FROM tenant_schedules
                WHERE next_fire_at > now() AND next_fire_at <= now() + interval '1 hour' AND extract(epoch FROM next_fire_at)::bigint % 3600 = 0
                """) == 1)
        }
    }

    @Test("a paused schedule is never claimed; resuming sets its next fire to the first slot after now")
    func pauseAndResume() async throws {
        try await withStores(["paused": Self.hourly, "other": Self.hourly]) { a, b, url in
            let paused = try await a.pause("paused", configured: Self.hourly)
            #expect(paused.paused)
            try await makeDue(url, secondsAgo: 7_200)
            let fires = try await b.claimDue(among: ["paused", "other"]) { _, _ in true }
            #expect(fires.map(\.tenantID) == ["other"])
            #expect(try await b.states(of: ["paused"])["paused"]?.paused == true)

            let resumed = try await b.resume("paused", configured: Self.hourly)
            #expect(!resumed.paused)
            let next = try #require(resumed.nextFireAt)
            #expect(next > Date().addingTimeInterval(-5))
            #expect(next.timeIntervalSince1970.truncatingRemainder(dividingBy: 3_600) == 0)
            #expect(try await a.claimDue(among: ["paused"]) { _, _ in true }.isEmpty)
        }
    }

    @Test("storing the configuration again keeps next fires and pauses; a changed schedule gets a new next fire, on demand none")
    func applyKeepsAndRecomputes() async throws {
        try await withStores(["kept": Self.hourly, "changed": Self.hourly, "dropped": Self.hourly]) { a, b, url in
            _ = try await a.pause("kept", configured: Self.hourly)
            try await makeDue(url, secondsAgo: 60)
            let daily = TenantSchedule(.every(ScheduleDuration(seconds: 86_400)))
            let changed = try await b.apply(["kept": Self.hourly, "changed": daily, "dropped": nil])
            #expect(Set(changed) == ["changed", "dropped"])
            let states = try await b.states(of: ["kept", "changed", "dropped"])
            #expect(states["kept"]?.paused == true)
            #expect(try #require(states["kept"]?.nextFireAt) < Date())
            #expect(try #require(states["changed"]?.nextFireAt) > Date().addingTimeInterval(-5))
            #expect(try #require(states["changed"]?.nextFireAt).timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 0)
            #expect(states["dropped"]?.nextFireAt == nil)
            #expect(try await TestDatabase.text(url, "SELECT schedule FROM tenant_schedules WHERE tenant_id = 'changed'") == #"{"every":"1d"}"#)
        }
    }
}
