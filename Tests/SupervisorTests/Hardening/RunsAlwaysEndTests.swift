import DemoUpstreamKit
import Foundation
import Postgres
import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Runs always end: a database outage mid-run leaves no run running and no callback missing", .timeLimit(.minutes(5)))
struct RunsAlwaysEndTests {
    @Test("PostgreSQL stopped and started again mid sync-all: every run ends, every tenant row is final, one callback row per run")
    func databaseRestartMidSyncAll() async throws {
        let sites = ["blip-a", "blip-b", "blip-c"].map { DemoSite(name: $0, accommodations: 3, bookings: 40) }
        // Ten bookings a page, one page at a time; from the third page on each page is held 3 s, so
        // every tenant is waiting on the upstream when the database goes away, and writes after it has.
        let upstream = DemoUpstreamConfiguration(sites: sites, faults: .holding(for: .seconds(3)))
        try await DemoUpstreamServer.withRunningServer(configuration: upstream) { endpoint in
            try await PrivateCluster.with { cluster in
                let url = cluster.url
                var configuration = SupervisorTestHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                configuration.fetchOnePageAtATime()
                // Leases long enough that the outage never fences a worker: this test is about the runs.
                configuration.leases = LeaseSettings(duration: 120, renewInterval: 5, pollInterval: 1)
                configuration.webhooks = WebhookConfiguration(urls: ["http://127.0.0.1:9/callback"], retrySchedule: [3600])
                let log = HardeningHarness.CapturedLog()
                try await SupervisorTestHarness.withRunningSupervisor(configuration, logger: log.logger) { running in
                    let api = running.api
                    for site in sites { _ = try await api.readyPID(site.name) }
                    let syncAll = try #require(try await api.request("POST", "/api/sync").json["run_id"] as? String)
                    // A second run of one tenant, with other options: it waits for that tenant's sync in hand.
                    let full = try #require(try await api.request("POST", "/api/tenants/blip-a/sync?full=true").json["run_id"] as? String)
                    _ = try await eventually("every tenant syncing reservations") { () -> Bool? in
                        let tenants = try await api.tenants()
                        let onReservations = sites.filter { site in
                            tenants[site.name]?.progress?.stream == "reservations"
                        }
                        return onReservations.count == sites.count ? true : nil
                    }

                    try await offPool { try cluster.stop() }
                    // Each tenant's worker writes its held page into the outage and reports the failure.
                    _ = try await eventually(timeout: .seconds(30), "every worker's sync to fail on the stopped database") { () -> Bool? in
                        let tenants = try await api.tenants()
                        let failed = sites.filter { site in
                            let last = tenants[site.name]?.lastSync
                            // blip-a's full run follows at once where nothing waits for the database.
                            return [syncAll, full].contains(last?.runID ?? "") && last?.status == "failed"
                        }
                        return failed.count == sites.count ? true : nil
                    }
                    try await offPool { try cluster.start() }

                    for runID in [syncAll, full] {
                        let run = try await api.waitForRun(runID, timeout: .seconds(120))
                        #expect(run.status == .succeeded, "\(runID): \(run.tenants.map { "\($0.tenantID) \($0.status.rawValue) \($0.error ?? "")" })")
                    }
                    // Every sync in hand lost its database once and was retried: two attempts. Which of
                    // blip-a's two runs had it in hand depends on which request reached its worker first;
                    // the other ran once, after it.
                    let allRun = try await api.waitForRun(syncAll)
                    let fullRun = try await api.waitForRun(full)
                    for tenant in allRun.tenants where tenant.tenantID != "blip-a" {
                        #expect(tenant.attempts == 2, "\(tenant.tenantID)")
                    }
                    let blipA = (allRun.tenants + fullRun.tenants).filter { $0.tenantID == "blip-a" }.map(\.attempts).sorted()
                    #expect(blipA == [1, 2], "blip-a's attempts in its two runs: \(blipA)")
                }
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE status IN ('queued', 'running') OR finished_at IS NULL") == 0)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_run_tenants WHERE status IN ('queued', 'running') OR finished_at IS NULL") == 0)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs") == 2)
                #expect(try await TestDatabase.scalar(url, """
                    SELECT count(*) FROM sync_runs r WHERE (SELECT count(*) FROM webhook_deliveries d WHERE d.run_id = r.id) <> 1
                    """) == 0)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE accommodation_unit_id IS NULL") == 0)
                #expect(log.all.contains { $0.contains("retrying once it answers") })
            }
        }
    }
}
