import DemoUpstreamKit
import Foundation
import Postgres
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("SIGTERM during a sync")
struct InterruptedRunTests {
    @Test("SIGTERM to `tenantsync serve` mid-sync records the run and the tenant as interrupted")
    func sigtermMidSync() async throws {
        let sites = [DemoSite(name: "hotel-term", accommodations: 10, bookings: 8000)]
        try await withSupervisorStack(sites: sites, latency: .milliseconds(200), as: .process) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            _ = try await eventually("the worker ready") { () -> Bool? in
                let list = try await api.decode(TenantList.self, "GET", "/api/tenants").tenants
                return list.first?.state == .ready ? true : nil
            }
            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/sync").runID
            // Wait until reservations are being written: the sync is well under way.
            _ = try await eventually("reservation pages to be written") { () -> Bool? in
                let run = try await api.decode(RunSnapshot.self, "GET", "/api/runs/\(runID)")
                return run.tenants.first?.progress?.stream == "reservations" ? true : nil
            }

            kill(stack.serve.process.processIdentifier, SIGTERM)
            #expect(try await stack.serve.exits.next(timeout: .seconds(60)) == 0)
            let connection = try PostgresConnection(url: url)
            let run = try connection.query("SELECT status FROM sync_runs WHERE id = $1", [.text(runID)]).rows.first?["status"]
            #expect(run == "interrupted")
            let tenant = try connection.query("SELECT status FROM sync_run_tenants WHERE run_id = $1", [.text(runID)]).rows.first?["status"]
            #expect(tenant == "interrupted")
            // The pages committed before the stop are kept, whole.
            let stored = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
            #expect(stored > 0)
        }
    }
}
