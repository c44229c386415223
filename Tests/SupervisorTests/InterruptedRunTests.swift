import DemoUpstreamKit
import Foundation
import Postgres
import Testing
import TestSupport

@Suite("SIGTERM during a sync")
struct InterruptedRunTests {
    @Test("SIGTERM to `tenantsync serve` mid-sync records the run and the tenant as interrupted")
    func sigtermMidSync() async throws {
        let sites = [DemoSite(name: "hotel-term", accommodations: 10, bookings: 8000)]
        let upstream = DemoUpstreamConfiguration(sites: sites, latency: .milliseconds(200))
        try await DemoUpstreamServer.withRunningServer(configuration: upstream) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                let configuration = SupervisorTestHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                let serve = try await ServeProcess.start(configuration: configuration)
                defer { serve.cleanUp() }
                let supervisor = serve.process
                let exits = serve.exits
                let api = serve.api
                _ = try await eventually("the worker ready") { () -> Bool? in
                    let list = try await api.request("GET", "/api/tenants").json["tenants"] as? [[String: Any]] ?? []
                    return list.first?["state"] as? String == "ready" ? true : nil
                }
                let runID = try #require(try await api.request("POST", "/api/sync").json["run_id"] as? String)
                // Wait until reservations are being written: the sync is well under way.
                _ = try await eventually("reservation pages to be written") { () -> Bool? in
                    let run = try await api.request("GET", "/api/runs/\(runID)").json
                    let progress = (run["tenants"] as? [[String: Any]])?.first?["progress"] as? [String: Any]
                    return progress?["stream"] as? String == "reservations" ? true : nil
                }

                kill(supervisor.processIdentifier, SIGTERM)
                #expect(try await exits.next(timeout: .seconds(60)) == 0)
                let connection = try PostgresConnection(url: url)
                let run = try connection.query("SELECT status FROM sync_runs WHERE id = $1", [.text(runID)]).rows.first?["status"]
                #expect(run == "interrupted")
                let tenant = try connection.query("SELECT status FROM sync_run_tenants WHERE run_id = $1", [.text(runID)]).rows.first?["status"]
                #expect(tenant == "interrupted")
                // The pages committed before the stop are kept, whole.
                let stored = try TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
                #expect(stored > 0)
            }
        }
    }
}
