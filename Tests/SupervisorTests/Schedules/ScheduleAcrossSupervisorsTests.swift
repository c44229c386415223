import DemoUpstreamKit
import Foundation
import Postgres
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Schedules on two supervisors: each fire starts one run, on the tenant's holder")
struct ScheduleAcrossSupervisorsTests {
    @Test("20 tenants every 2s on two supervisors for 20 s: one run per tenant per fire, run where the lease is, listed like any run")
    func oneRunPerFire() async throws {
        try await withTwoSupervisors(tenants: 20, bookings: 4, configure: { configuration in
            configuration.defaultSchedule = ScheduledRuns.everyTwoSeconds
            configuration.concurrency = 10
        }) { two in
            let (a, b, url, tenantIDs) = (two.a, two.b, two.databaseURL, two.tenantIDs)
            // Fires counted from here, when both supervisors hold their ten tenants.
            let start = try await ScheduledRuns.databaseNow(url)

            // 20 s of fires, and at least three runs of every tenant, each on either supervisor.
            try await eventually(timeout: .seconds(180), "20 s of fires and three scheduled runs of every tenant to end") { () -> Bool? in
                guard try await ScheduledRuns.databaseNow(url) >= start + 20 else { return nil }
                for tenantID in tenantIDs {
                    let ended = try await TestDatabase.scalar(url, """
                        SELECT count(*) FROM sync_runs WHERE trigger = 'schedule' AND scope = $1 AND finished_at IS NOT NULL AND scheduled_for > to_timestamp($2::float8)
                        """, [.text(tenantID), .double(start)])
                    if ended < 3 { return nil }
                }
                return true
            }
            // Bound the fires: pause every tenant (through either supervisor, it holds for both), then let the runs end.
            for (index, tenantID) in tenantIDs.enumerated() {
                let api = index.isMultiple(of: 2) ? a.api : b.api
                let paused = try await api.decode(ControlDone.self, "POST", "/api/tenants/\(tenantID)/pause")
                #expect(paused.tenant.schedulePaused)
                #expect(paused.tenant.nextSyncAt == nil)
            }
            _ = try await eventually(timeout: .seconds(60), "every run to end") { try await ScheduledRuns.live(url) == 0 ? true : nil }

            // One run per fire: no slot of a tenant has two runs, each run is one tenant's, and each fired once
            // both supervisors held their tenants ran once, on the supervisor that fired it, which held the
            // tenant. (A fire before the split, on A holding every tenant, may be interrupted when B takes the tenant.)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) - count(DISTINCT (scope, scheduled_for)) FROM sync_runs WHERE trigger = 'schedule'") == 0)
            #expect(try await TestDatabase.scalar(url, """
                SELECT count(*) FROM sync_runs r JOIN sync_run_tenants t ON t.run_id = r.id
                WHERE r.trigger = 'schedule' AND r.scheduled_for > to_timestamp($1::float8)
                  AND (t.tenant_id <> r.scope OR t.runner_id IS DISTINCT FROM r.owner_id OR t.attempts <> 1 OR t.status <> 'succeeded' OR r.status <> 'succeeded')
                """, [.double(start)]) == 0)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs r WHERE trigger = 'schedule' AND (SELECT count(*) FROM sync_run_tenants t WHERE t.run_id = r.id) <> 1") == 0)
            #expect(try await TestDatabase.scalar(url, "SELECT count(DISTINCT owner_id) FROM sync_runs WHERE trigger = 'schedule' AND scheduled_for > to_timestamp($1::float8)", [.double(start)]) == 2)
            // Every fire either started a run or found the tenant syncing; no two of a tenant's runs overlapped.
            #expect(try await ScheduledRuns.overlapping(url) == 0)
            // Each schedule row names its last run, and nothing is due while paused.
            #expect(try await TestDatabase.scalar(url, """
                SELECT count(*) FROM tenant_schedules s
                WHERE s.paused AND s.last_run_id = (SELECT id FROM sync_runs r WHERE r.scope = s.tenant_id AND r.trigger = 'schedule' ORDER BY scheduled_for DESC LIMIT 1)
                """) == tenantIDs.count)

            // Scheduled runs are ordinary runs: listed, with their trigger, by both supervisors.
            let tenantID = tenantIDs[0]
            let stored = try await ScheduledRuns.count(url, tenant: tenantID)
            let succeeded = try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE trigger = 'schedule' AND scope = $1 AND status = 'succeeded'", [.text(tenantID)])
            for api in [a.api, b.api] {
                let runs = try await api.decode(RunList.self, "GET", "/api/runs?tenant=\(tenantID)&limit=100").runs
                #expect(runs.count == stored)
                #expect(runs.allSatisfy { $0.trigger == "schedule" && $0.scope == tenantID && !$0.status.isLive })
                #expect(runs.filter { $0.status == .succeeded }.count == succeeded)
            }
            // Both supervisors show every tenant's schedule as paused: the one that paused it at once, the other
            // once its scheduler has read the table again.
            for api in [a.api, b.api] {
                _ = try await eventually("every tenant paused in \(api.baseURL)'s status") { () -> Bool? in
                    let statuses = try await api.tenants()
                    let shown = statuses.values.filter { $0.schedule == ScheduledRuns.everyTwoSeconds && $0.schedulePaused && $0.nextSyncAt == nil }
                    return shown.count == tenantIDs.count ? true : nil
                }
            }
        }
    }
}
