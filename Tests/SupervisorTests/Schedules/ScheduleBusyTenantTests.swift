import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("A schedule firing while its tenant still syncs")
struct ScheduleBusyTenantTests {
    @Test("fires during a long scheduled sync are skipped and logged, never queued behind it; a manual request joins the scheduled run")
    func firesSkipWhileSyncing() async throws {
        let site = DemoSite(name: "busy-schedule", accommodations: 3, bookings: 25)
        // Page 3 of every list answers after 8 s: each sync lasts several 2 s slots.
        try await withSupervisorStack(sites: [site], upstreamFaults: .holding(for: .seconds(8)), configure: { configuration, _ in
            configuration.fetchOnePageAtATime()
            configuration.tenants[0].schedule = .scheduled(ScheduledRuns.everyTwoSeconds)
        }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            let firstRun = try await eventually(timeout: .seconds(30), "the first scheduled run") { () -> String? in
                let id = try await TestDatabase.text(url, "SELECT coalesce(min(id), '') FROM sync_runs WHERE trigger = 'schedule'")
                return id.isEmpty ? nil : id
            }
            _ = try await api.waitForTenant(site.name, "syncing the scheduled run") { $0.state == .syncing && $0.currentRunID == firstRun }

            // A manual sync of the tenant with the same options joins the scheduled run.
            let manual = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/\(site.name)/sync")
            #expect(manual.runID == firstRun)

            // Two slots pass while the first run still syncs: both are skipped, and no second run exists.
            let (skipped, runs, live) = try await eventually(timeout: .seconds(30), "two skipped fires") { () -> (Int, Int, Int)? in
                let skipped = try await TestDatabase.scalar(url, "SELECT skipped_fires FROM tenant_schedules WHERE tenant_id = $1", [.text(site.name)])
                guard skipped >= 2 else { return nil }
                let runs = try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE trigger = 'schedule' AND scope = $1", [.text(site.name)])
                let live = try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE id = $1 AND finished_at IS NULL", [.text(firstRun)])
                return (skipped, runs, live)
            }
            #expect(skipped >= 2)
            #expect(runs == 1)
            #expect(live == 1)
            let log = try await api.request("GET", "/api/tenants/\(site.name)/logs?lines=500&grep=scheduled%20sync%20skipped").response.bodyText
            #expect(log.contains("still syncing (run \(firstRun))"))

            // Once it ends the schedule starts the next run; pause, let runs end, and no two ever overlapped.
            let first = try await api.waitForRun(firstRun, timeout: .seconds(60))
            #expect(first.status == .succeeded)
            #expect(first.trigger == "schedule")
            _ = try await eventually(timeout: .seconds(30), "a second scheduled run") {
                try await ScheduledRuns.count(url, tenant: site.name) >= 2 ? true : nil
            }
            _ = try await api.decode(ControlDone.self, "POST", "/api/tenants/\(site.name)/pause")
            _ = try await eventually(timeout: .seconds(60), "every run to end") { try await ScheduledRuns.live(url) == 0 ? true : nil }
            #expect(try await ScheduledRuns.overlapping(url) == 0)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE trigger <> 'schedule'") == 0)
        }
    }
}
