import DemoUpstreamKit
import Foundation
import Postgres
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Runs left by a dead supervisor")
struct RequeueTests {
    @Test("a run left running by a dead supervisor is marked interrupted and its unfinished tenants sync again")
    func interruptedRunIsRequeued() async throws {
        let sites = ["hotel-r1", "hotel-r2"].map { DemoSite(name: $0, accommodations: 3, bookings: 5) }
        try await withSupervisorStack(sites: sites, migrated: true, configure: { _, parts in
            // What a supervisor killed mid-run leaves behind: hotel-r1 finished, hotel-r2 did not.
            let connection = try PostgresConnection(url: parts.databaseURL)
            _ = try connection.query("INSERT INTO sync_runs (id, scope, trigger, status, started_at) VALUES ('run_dead', 'all', 'api', 'running', now())")
            _ = try connection.query("""
                INSERT INTO sync_run_tenants (run_id, tenant_id, status, finished_at)
                VALUES ('run_dead', 'hotel-r1', 'succeeded', now()), ('run_dead', 'hotel-r2', 'running', NULL)
                """)
        }) { stack in
            let api = stack.api
            let dead = try await api.decode(RunSnapshot.self, "GET", "/api/runs/run_dead")
            #expect(dead.status == .interrupted)
            let requeued = try await eventually("the re-queued run to exist") { () -> String? in
                try PostgresConnection(url: stack.databaseURL).query("SELECT id FROM sync_runs WHERE trigger = 'requeue:run_dead'").rows.first?["id"]
            }
            let run = try await api.waitForRun(requeued)
            #expect(run.status == .succeeded)
            #expect(run.tenants.map(\.tenantID) == ["hotel-r2"])
        }
    }
}
