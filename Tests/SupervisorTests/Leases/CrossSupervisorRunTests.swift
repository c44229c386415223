import DemoUpstreamKit
import Foundation
import Postgres
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Several supervisors: runs cover every tenant, each run by its holder")
struct CrossSupervisorRunTests {
    @Test("POST /api/sync on one supervisor ends with counts for all 6 tenants; the other ran its own three")
    func syncAllAcrossSupervisors() async throws {
        try await withTwoSupervisors(accommodations: 3, bookings: 12) { two in
            let (a, b, url) = (two.a, two.b, two.databaseURL)
            let heldByB = Set(try await SeveralSupervisors.readyHere(b.api, owner: "sup-b").keys)

            let accepted = try await a.api.request("POST", "/api/sync")
            #expect(accepted.status == 202)
            let answer = try accepted.decode(SyncAccepted.self)
            #expect(answer.tenants.count == 6)
            let runID = answer.runID
            let run = try await a.api.waitForRun(runID, timeout: .seconds(90))
            #expect(run.status == .succeeded)
            #expect(run.tenants.count == 6)
            for tenant in run.tenants {
                #expect(tenant.status == .succeeded)
                #expect(tenant.counts.created > 12)
            }

            // Each tenant ran once, on the supervisor holding it.
            let runners = try await offPool { () -> [String: String] in
                let connection = try PostgresConnection(url: url)
                var runners: [String: String] = [:]
                for row in try connection.query("SELECT tenant_id, runner_id, attempts FROM sync_run_tenants WHERE run_id = $1", [.text(runID)]).rows {
                    runners[row["tenant_id"] ?? ""] = "\(row["runner_id"] ?? "-")/\(row["attempts"] ?? "-")"
                }
                return runners
            }
            for tenantID in SeveralSupervisors.siteNames {
                #expect(runners[tenantID] == (heldByB.contains(tenantID) ? "sup-b/1" : "sup-a/1"))
            }
            #expect(try await TestDatabase.scalar(url, "SELECT count(DISTINCT tenant_id) FROM reservations") == 6)
            // One callback row per run end would be in the outbox; the run ended exactly once.
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE id = $1 AND finished_at IS NOT NULL", [.text(runID)]) == 1)

            // One tenant held by B, synced through A.
            let remote = try #require(heldByB.sorted().first)
            let single = try await a.api.request("POST", "/api/tenants/\(remote)/sync")
            #expect(single.status == 202)
            let singleRun = try await a.api.waitForRun(try single.decode(SyncAccepted.self).runID, timeout: .seconds(60))
            #expect(singleRun.status == .succeeded)
            let singleRunner = try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_run_tenants WHERE run_id = $1 AND runner_id = 'sup-b'", [.text(singleRun.runID)])
            #expect(singleRunner == 1)
        }
    }

    @Test("the supervisor that started a sync-all dies mid-run: the other takes its tenants, reruns their rows and ends the run with its callback")
    func originatorDiesMidRun() async throws {
        try await withTwoSupervisors(accommodations: 3, bookings: 30, latency: .milliseconds(400), configure: { configuration in
            // Nothing listens there: the delivery stays pending, which is all this test looks at.
            configuration.webhooks = WebhookConfiguration(urls: ["http://127.0.0.1:9/run-ended"])
        }) { two in
            let (a, b, url) = (two.a, two.b, two.databaseURL)

            let runID = try await a.api.decode(SyncAccepted.self, "POST", "/api/sync").runID
            _ = try await eventually("A to be running its own tenants") { () -> Bool? in
                try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_run_tenants WHERE run_id = $1 AND runner_id = 'sup-a' AND status = 'running'", [.text(runID)]) > 0 ? true : nil
            }
            kill(a.process.processIdentifier, SIGKILL)
            _ = try await a.exits.next(timeout: .seconds(10))
            // On a loaded machine A may have finished a tenant before it died; B leaves those alone.
            let finishedByA = try await TestDatabase.scalar(url, """
                SELECT count(*) FROM sync_run_tenants WHERE run_id = $1 AND runner_id = 'sup-a' AND status = 'succeeded'
                """, [.text(runID)])

            let run = try await b.api.waitForRun(runID, timeout: .seconds(90))
            #expect(run.status == .succeeded)
            #expect(run.tenants.count == 6)
            for tenant in run.tenants {
                #expect(tenant.status == .succeeded)
                // A tenant A had started resumes from its last committed page, so its counts may cover only the rest.
                #expect(tenant.counts.fetched > 0)
            }
            // Whatever was split between A's run and B's rerun, every tenant ends with all its bookings.
            for tenantID in SeveralSupervisors.siteNames {
                #expect(try await TestDatabase.scalar(url, "SELECT count(DISTINCT booking_id) FROM reservations WHERE tenant_id = $1", [.text(tenantID)]) == 30)
            }
            // B ran every tenant A had not finished, and ended the run once, with one callback.
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_run_tenants WHERE run_id = $1 AND runner_id = 'sup-b'", [.text(runID)]) == 6 - finishedByA)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM webhook_deliveries WHERE run_id = $1", [.text(runID)]) == 1)
        }
    }
}
