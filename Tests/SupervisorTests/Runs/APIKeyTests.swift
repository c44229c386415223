import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("API keys: 401 without a valid key, 403 outside a scoped key's tenant")
struct APIKeyTests {
    @Test("missing and wrong keys get 401 JSON, /health stays open, scoped keys see only their tenant")
    func keys() async throws {
        let sites = ["hotel-k1", "hotel-k2"].map { DemoSite(name: $0, accommodations: 2, bookings: 3) }
        try await withSupervisorStack(sites: sites, configure: { configuration, _ in
            configuration.apiKeys.append(APIKeyConfiguration(key: "scoped-key-for-k1", tenant: "hotel-k1"))
        }) { stack in
            let api = stack.api
            let none = try await api.with(apiKey: nil).request("POST", "/api/sync")
            #expect(none.status == 401)
            #expect((none.json["error"] as? [String: Any])?["code"] as? String == "unauthorized")
            let wrong = try await api.with(apiKey: "test-api-key-all-tenantz").request("GET", "/api/tenants")
            #expect(wrong.status == 401)
            #expect(!wrong.response.bodyText.contains("test-api-key"))
            #expect(try await api.with(apiKey: nil).request("GET", "/api/runs/run_nope").status == 401)
            #expect(try await api.with(apiKey: nil).request("GET", "/health").status == 200)

            let scoped = api.with(apiKey: "scoped-key-for-k1")
            let tenants = try await scoped.decode(TenantList.self, "GET", "/api/tenants").tenants
            #expect(tenants.map(\.id) == ["hotel-k1"])
            #expect(try await scoped.request("GET", "/api/tenants/hotel-k2").status == 403)
            #expect(try await scoped.request("POST", "/api/tenants/hotel-k2/sync").status == 403)
            #expect(try await scoped.request("POST", "/api/sync").status == 403)

            // A run of every tenant is not the scoped key's to see; its own tenant's run is.
            let allRun = try await api.decode(SyncAccepted.self, "POST", "/api/sync").runID
            #expect(try await scoped.request("GET", "/api/runs/\(allRun)").status == 403)
            let own = try await scoped.request("POST", "/api/tenants/hotel-k1/sync?background=false")
            #expect(own.status == 200)
            let ownRun = try own.decode(SyncFinished.self).runID
            #expect(try await scoped.request("GET", "/api/runs/\(ownRun)").status == 200)
            let listed = try await scoped.decode(RunList.self, "GET", "/api/runs").runs
            #expect(listed.map(\.runID) == [ownRun])
            #expect(try await scoped.request("GET", "/api/runs?tenant=hotel-k2").status == 403)
            #expect(try await api.request("GET", "/api/runs/run_nope").status == 404)
            #expect(try await api.request("GET", "/api/runs?status=done").status == 400)
            #expect(try await api.request("GET", "/api/runs?limit=0").status == 400)
            _ = try await api.waitForRun(allRun)
        }
    }
}
