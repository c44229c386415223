import DemoUpstreamKit
import Foundation
import Postgres
import SupervisorCore
import Testing
import TestSupport

@Suite("Several supervisors: runs cover every tenant, each run by its holder")
struct CrossSupervisorRunTests {
    @Test("POST /api/sync on one supervisor ends with counts for all 6 tenants; the other ran its own three")
    func syncAllAcrossSupervisors() async throws {
        let sites = SeveralSupervisors.siteNames.map { DemoSite(name: $0, accommodations: 3, bookings: 12) }
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                let leases = LeaseSettings(duration: 6, renewInterval: 2, pollInterval: 0.5)
                let a = try await ServeProcess.start(configuration: SeveralSupervisors.configuration(id: "sup-a", endpoint: endpoint, databaseURL: url, sites: sites, leases: leases))
                defer { a.cleanUp() }
                let b = try await ServeProcess.start(configuration: SeveralSupervisors.configuration(id: "sup-b", endpoint: endpoint, databaseURL: url, sites: sites, leases: leases))
                defer { b.cleanUp() }
                _ = try await SeveralSupervisors.waitForSplit(a, b)
                let heldByB = Set(try await SeveralSupervisors.readyHere(b.api, owner: "sup-b").keys)

                let accepted = try await a.api.request("POST", "/api/sync")
                #expect(accepted.status == 202)
                #expect((accepted.json["tenants"] as? [String])?.count == 6)
                let runID = try #require(accepted.json["run_id"] as? String)
                let run = try await a.api.waitForRun(runID, timeout: .seconds(90))
                #expect(run["status"] as? String == "succeeded")
                let tenants = run["tenants"] as? [[String: Any]] ?? []
                #expect(tenants.count == 6)
                for tenant in tenants {
                    #expect(tenant["status"] as? String == "succeeded")
                    #expect(((tenant["counts"] as? [String: Any])?["created"] as? Int ?? 0) > 12)
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
                #expect(try TestDatabase.scalar(url, "SELECT count(DISTINCT tenant_id) FROM reservations") == 6)
                // One callback row per run end would be in the outbox; the run ended exactly once.
                #expect(try TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE id = $1 AND finished_at IS NOT NULL", [.text(runID)]) == 1)

                // One tenant held by B, synced through A.
                let remote = try #require(heldByB.sorted().first)
                let single = try await a.api.request("POST", "/api/tenants/\(remote)/sync")
                #expect(single.status == 202)
                let singleRun = try await a.api.waitForRun(try #require(single.json["run_id"] as? String), timeout: .seconds(60))
                #expect(singleRun["status"] as? String == "succeeded")
                let singleRunner = try TestDatabase.scalar(url, "SELECT count(*) FROM sync_run_tenants WHERE run_id = $1 AND runner_id = 'sup-b'", [.text(singleRun["run_id"] as? String ?? "")])
                #expect(singleRunner == 1)
            }
        }
    }
}
