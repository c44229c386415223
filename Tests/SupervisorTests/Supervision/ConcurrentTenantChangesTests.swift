import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Tenant changes arriving at once")
struct ConcurrentTenantChangesTests {
    @Test("PUTs of different tenants sent together all take effect: none undoes another")
    func concurrentPuts() async throws {
        let sites = (1...8).map { DemoSite(name: "put-\($0)", accommodations: 1, bookings: 1) }
        // The supervisor starts with none of them; each PUT adds one.
        var removed: [TenantConfiguration] = []
        try await withSupervisorStack(sites: sites, configure: { configuration, _ in
            removed = configuration.tenants
            configuration.tenants = []
        }) { stack in
            let (api, added) = (stack.api, removed)
            for round in 0..<2 {
                let bodies = try added.map { tenant -> (String, String) in
                    var body = try JSONValue(encoding: tenant)
                    // A changed setting each round, so every PUT changes its tenant.
                    body["settings"]["per_page"] = .int(10 + round)
                    return ("/api/tenants/\(tenant.id)", body.text)
                }
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for (path, body) in bodies {
                        group.addTask { try await api.request("PUT", path, json: body).status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                // Created in the first round, replaced in the second.
                #expect(statuses == Array(repeating: round == 0 ? 201 : 200, count: added.count))
                let listed = try await api.tenants()
                #expect(Set(listed.keys) == Set(added.map(\.id)), "round \(round): \(listed.keys.sorted())")
            }
            for tenant in added { _ = try await api.readyPID(tenant.id) }
        }
    }
}
