import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Schedules after downtime: missed slots fire once")
struct ScheduleCatchUpTests {
    @Test("a supervisor stopped through three hourly slots comes back and starts one run per tenant, then waits for the next slot")
    func oneRunAfterDowntime() async throws {
        let sites = ["catchup-a", "catchup-b"].map { DemoSite(name: $0, accommodations: 2, bookings: 4) }
        let hourly = TenantSchedule(.every(ScheduleDuration(seconds: 3_600)))
        try await withSupervisorStack(sites: sites, configure: { configuration, _ in
            configuration.defaultSchedule = hourly
        }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            // The schedules are stored and shown, nothing is due yet.
            for site in sites {
                let status = try await api.waitForTenant(site.name, "showing its next sync") { $0.nextSyncAt != nil }
                #expect(status.schedule == hourly)
                #expect(!status.schedulePaused)
            }
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs") == 0)
            try await stack.stop()

            // Three hours pass while no supervisor runs: the stored next fires are now three slots behind.
            _ = try await TestDatabase.scalar(url, """
                WITH moved AS (UPDATE tenant_schedules SET next_fire_at = next_fire_at - interval '3 hours' RETURNING 1) SELECT count(*) FROM moved
                """)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM tenant_schedules WHERE next_fire_at < now() - interval '2 hours'") == 2)

            let restarted = try await stack.startServe { _ in }
            defer { restarted.cleanUp() }
            for site in sites {
                let runID = try await eventually(timeout: .seconds(60), "\(site.name)'s overdue fire") { () -> String? in
                    let text = try await TestDatabase.text(url, "SELECT coalesce(max(id), '') FROM sync_runs WHERE trigger = 'schedule' AND scope = $1", [.text(site.name)])
                    return text.isEmpty ? nil : text
                }
                let run = try await restarted.api.waitForRun(runID)
                #expect(run.status == .succeeded)
                #expect(run.trigger == "schedule")
            }
            // One run per tenant, not one per missed slot, and the next fire is the first slot ahead.
            for site in sites {
                #expect(try await ScheduledRuns.count(url, tenant: site.name) == 1)
            }
            #expect(try await TestDatabase.scalar(url, """
                SELECT count(*) FROM tenant_schedules
                WHERE next_fire_at > now() AND next_fire_at <= now() + interval '1 hour' AND extract(epoch FROM next_fire_at)::bigint % 3600 = 0
                  AND last_fired_at IS NOT NULL AND skipped_fires = 0
                """) == 2)
            for site in sites {
                let status = try await restarted.api.waitForTenant(site.name, "showing the next hourly slot") { status in
                    guard let next = status.nextSyncAt.flatMap({ try? Date($0, strategy: .iso8601) }) else { return false }
                    return next > Date() && next.timeIntervalSince1970.truncatingRemainder(dividingBy: 3_600) == 0
                }
                #expect(status.lastSync?.status == "succeeded")
            }
        }
    }
}
