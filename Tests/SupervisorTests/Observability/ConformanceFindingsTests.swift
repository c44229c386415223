import Foundation
import SupervisorCore
import Testing
import TestSupport

/// Inputs that once made the API answer outside its contract, found by scripts/conformance.sh.
@Suite("Conformance findings: odd inputs answer documented 4xx, never 500")
struct ConformanceFindingsTests {
    @Test("GET /api/runs?tenant= with a NUL byte or another non-id answers 400 bad_request (PostgreSQL refused NUL: 500)")
    func runsListTenantFilter() async throws {
        try await TestDatabase.withDatabase(migrated: false) { url in
            var configuration = SupervisorConfiguration(databaseURL: url, port: 0, tenants: [])
            configuration.workerPath = try Binaries.path(of: "tenantsync-worker")
            configuration.apiKeys = [APIKeyConfiguration(key: APIClient.defaultAPIKey)]
            try await SupervisorTestHarness.withSupervisor(configuration) { api in
                for tenant in ["%00", "a%00b", "hotel%20a", String(repeating: "x", count: 65)] {
                    let response = try await api.request("GET", "/api/runs?tenant=\(tenant)")
                    #expect(response.status == 400, "tenant=\(tenant)")
                    #expect((response.json["error"] as? [String: Any])?["code"] as? String == "bad_request")
                }
                let valid = try await api.request("GET", "/api/runs?tenant=hotel-a")
                #expect(valid.status == 200)
                #expect((valid.json["runs"] as? [Any])?.isEmpty == true)
            }
        }
    }
}
