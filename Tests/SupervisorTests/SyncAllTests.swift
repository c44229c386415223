import DemoUpstreamKit
import Foundation
import Testing
import TestSupport

@Suite("Supervisor: real workers, POST /api/sync, runs")
struct SyncAllTests {
    @Test("POST /api/sync answers 202 at once and the run completes with counts for every tenant")
    func syncAll() async throws {
        let sites = ["hotel-a", "hotel-b", "hotel-c"].map { DemoSite(name: $0, accommodations: 10, bookings: 120) }
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                let configuration = SupervisorTestHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                try await SupervisorTestHarness.withSupervisor(configuration) { api in
                    // Every tenant gets its own worker process.
                    let tenants = try await eventually("all workers ready") { () -> [[String: Any]]? in
                        let list = try await api.request("GET", "/api/tenants").json["tenants"] as? [[String: Any]] ?? []
                        return list.count == 3 && list.allSatisfy { $0["state"] as? String == "ready" } ? list : nil
                    }
                    let pids = Set(tenants.compactMap { $0["pid"] as? Int })
                    #expect(pids.count == 3)
                    for pid in pids { #expect(processExists(Int32(pid))) }

                    let accepted = try await api.request("POST", "/api/sync")
                    #expect(accepted.status == 202)
                    #expect(accepted.json["status"] as? String == "processing")
                    #expect(accepted.json["success"] as? Bool == true)
                    let runID = try #require(accepted.json["run_id"] as? String)
                    #expect(accepted.headers.header("Location") == "/api/runs/\(runID)")

                    let run = try await api.waitForRun(runID)
                    #expect(run["status"] as? String == "succeeded")
                    let perTenant = run["tenants"] as? [[String: Any]] ?? []
                    #expect(perTenant.count == 3)
                    for tenant in perTenant {
                        #expect(tenant["status"] as? String == "succeeded")
                        let counts = tenant["counts"] as? [String: Any] ?? [:]
                        #expect((counts["created"] as? Int ?? 0) > 120)
                        #expect((tenant["streams"] as? [[String: Any]])?.map { $0["stream"] as? String } == ["accommodation_types", "accommodations", "rates", "reservations"])
                    }
                    #expect(try TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE accommodation_unit_id IS NULL") == 0)
                    #expect(try TestDatabase.scalar(url, "SELECT count(DISTINCT tenant_id) FROM reservations") == 3)
                }
            }
        }
    }

    @Test("unknown tenants and runs are 404 with a JSON error; bad parameters are 400")
    func errors() async throws {
        let sites = [DemoSite(name: "hotel-err", accommodations: 2, bookings: 2)]
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                let configuration = SupervisorTestHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                try await SupervisorTestHarness.withSupervisor(configuration) { api in
                    let missingTenant = try await api.request("POST", "/api/tenants/nobody/sync")
                    #expect(missingTenant.status == 404)
                    #expect((missingTenant.json["error"] as? [String: Any])?["code"] as? String == "not_found")
                    let missingRun = try await api.request("GET", "/api/runs/run_nope")
                    #expect(missingRun.status == 404)
                    let badDate = try await api.request("POST", "/api/sync?start_date=yesterday")
                    #expect(badDate.status == 400)
                    #expect(((badDate.json["error"] as? [String: Any])?["message"] as? String)?.contains("start_date") == true)
                    let health = try await api.request("GET", "/health")
                    #expect(health.status == 200)
                }
            }
        }
    }

    @Test("a second sync request for a tenant that is syncing joins the run in progress and says so")
    func busyTenantJoins() async throws {
        let sites = [DemoSite(name: "hotel-busy", accommodations: 10, bookings: 400)]
        let upstream = DemoUpstreamConfiguration(sites: sites, latency: .milliseconds(250))
        try await DemoUpstreamServer.withRunningServer(configuration: upstream) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                let configuration = SupervisorTestHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                try await SupervisorTestHarness.withSupervisor(configuration) { api in
                    let first = try await api.request("POST", "/api/tenants/hotel-busy/sync")
                    #expect(first.status == 202)
                    #expect(first.json["joined"] as? Bool == false)
                    let runID = try #require(first.json["run_id"] as? String)
                    let second = try await api.request("POST", "/api/tenants/hotel-busy/sync")
                    #expect(second.status == 202)
                    #expect(second.json["run_id"] as? String == runID)
                    #expect(second.json["joined"] as? Bool == true)
                    #expect((second.json["message"] as? String)?.contains("already syncing") == true)
                    let run = try await api.waitForRun(runID)
                    #expect(run["status"] as? String == "succeeded")
                    // Once the tenant is done, a new request starts a new run.
                    let third = try await api.request("POST", "/api/tenants/hotel-busy/sync")
                    #expect(third.json["run_id"] as? String != runID)
                    #expect(third.json["joined"] as? Bool == false)
                    _ = try await api.waitForRun(try #require(third.json["run_id"] as? String))
                }
            }
        }
    }
}
