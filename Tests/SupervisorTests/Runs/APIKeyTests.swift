import DemoUpstreamKit
import Foundation
import SupervisorCore
import Testing
import TestSupport

@Suite("API keys: 401 without a valid key, 403 outside a scoped key's tenant")
struct APIKeyTests {
    @Test("missing and wrong keys get 401 JSON, /health stays open, scoped keys see only their tenant")
    func keys() async throws {
        let sites = ["hotel-k1", "hotel-k2"].map { DemoSite(name: $0, accommodations: 2, bookings: 3) }
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                var configuration = SupervisorTestHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                configuration.apiKeys.append(APIKeyConfiguration(key: "scoped-key-for-k1", tenant: "hotel-k1"))
                try await SupervisorTestHarness.withSupervisor(configuration) { api in
                    let none = try await api.with(apiKey: nil).request("POST", "/api/sync")
                    #expect(none.status == 401)
                    #expect((none.json["error"] as? [String: Any])?["code"] as? String == "unauthorized")
                    let wrong = try await api.with(apiKey: "test-api-key-all-tenantz").request("GET", "/api/tenants")
                    #expect(wrong.status == 401)
                    #expect(!wrong.response.bodyText.contains("test-api-key"))
                    #expect(try await api.with(apiKey: nil).request("GET", "/api/runs/run_nope").status == 401)
                    #expect(try await api.with(apiKey: nil).request("GET", "/health").status == 200)

                    let scoped = api.with(apiKey: "scoped-key-for-k1")
                    let tenants = try await scoped.request("GET", "/api/tenants").json["tenants"] as? [[String: Any]] ?? []
                    #expect(tenants.compactMap { $0["id"] as? String } == ["hotel-k1"])
                    #expect(try await scoped.request("GET", "/api/tenants/hotel-k2").status == 403)
                    #expect(try await scoped.request("POST", "/api/tenants/hotel-k2/sync").status == 403)
                    #expect(try await scoped.request("POST", "/api/sync").status == 403)

                    // A run of every tenant is not the scoped key's to see; its own tenant's run is.
                    let allRun = try #require(try await api.request("POST", "/api/sync").json["run_id"] as? String)
                    #expect(try await scoped.request("GET", "/api/runs/\(allRun)").status == 403)
                    let own = try await scoped.request("POST", "/api/tenants/hotel-k1/sync?background=false")
                    #expect(own.status == 200)
                    let ownRun = try #require(own.json["run_id"] as? String)
                    #expect(try await scoped.request("GET", "/api/runs/\(ownRun)").status == 200)
                    let listed = try await scoped.request("GET", "/api/runs").json["runs"] as? [[String: Any]] ?? []
                    #expect(listed.compactMap { $0["run_id"] as? String } == [ownRun])
                    #expect(try await scoped.request("GET", "/api/runs?tenant=hotel-k2").status == 403)
                    #expect(try await api.request("GET", "/api/runs/run_nope").status == 404)
                    #expect(try await api.request("GET", "/api/runs?status=done").status == 400)
                    #expect(try await api.request("GET", "/api/runs?limit=0").status == 400)
                    _ = try await api.waitForRun(allRun)
                }
            }
        }
    }
}
