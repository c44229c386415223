import DemoUpstreamKit
import Foundation
import Postgres
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Tenant roles leave with their tenant: removed tenants, tenants gone while the supervisor was down, test databases")
struct TenantRoleRetirementTests {
    @Test("DELETE /api/tenants/{id} drops the tenant's role from pg_roles once its worker is gone; the other tenant's role stays and syncs")
    func removedTenantLosesItsRole() async throws {
        let sites = [DemoSite(name: "retire-a", accommodations: 2, bookings: 5), DemoSite(name: "retire-b", accommodations: 2, bookings: 5)]
        try await withSupervisorStack(sites: sites) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            for site in sites { _ = try await api.readyPID(site.name) }
            let roles = try await TenantRoleTests.roles(url)
            let (roleA, roleB) = (try #require(roles["retire-a"]), try #require(roles["retire-b"]))
            #expect(try await Self.roleExists(roleA, url))

            #expect(try await api.request("DELETE", "/api/tenants/retire-a").status == 200)
            #expect(try await Self.roleExists(roleA, url) == false)
            #expect(try await TenantRoleTests.roles(url) == ["retire-b": roleB])
            #expect(try await Self.roleExists(roleB, url))
            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/retire-b/sync").runID
            #expect(try await api.waitForRun(runID).status == .succeeded)
        }
    }

    @Test("a supervisor started without a tenant that has a role (removed while it was down) drops that role before its workers start")
    func startSweepsRolesOfGoneTenants() async throws {
        let sites = [DemoSite(name: "sweep-kept", accommodations: 2, bookings: 5), DemoSite(name: "sweep-gone", accommodations: 2, bookings: 5)]
        try await withSupervisorStack(sites: sites) { stack in
            let url = stack.databaseURL
            for site in sites { _ = try await stack.api.readyPID(site.name) }
            let roles = try await TenantRoleTests.roles(url)
            let (kept, gone) = (try #require(roles["sweep-kept"]), try #require(roles["sweep-gone"]))
            try await stack.stop()
            #expect(try await Self.roleExists(gone, url), "a supervisor that stops leaves the roles of its tenants")

            let next = try await stack.startServe { configuration in
                configuration.tenants.removeAll { $0.id == "sweep-gone" }
            }
            defer { next.cleanUp() }
            _ = try await next.api.readyPID("sweep-kept")
            #expect(try await Self.roleExists(gone, url) == false)
            #expect(try await Self.roleExists(kept, url))
            #expect(try await TenantRoleTests.roles(url) == ["sweep-kept": kept])
        }
    }

    @Test("a test database drops the tenant roles issued in it when it is dropped: roles are cluster-wide")
    func testDatabaseDropsItsRoles() async throws {
        let role = try await TestDatabase.withDatabase { url in
            try await TestDatabase.text(url, "SELECT tenantsync_issue_worker_role('fixture-tenant', 'fixture-password')")
        }
        #expect(role.hasPrefix("tenantsync_w_"))
        #expect(try await Self.roleExists(role, try TestDatabase.adminURL()) == false)
    }

    /// Whether a role named `role` exists in the cluster of `url`.
    static func roleExists(_ role: String, _ url: String) async throws -> Bool {
        try await TestDatabase.scalar(url, "SELECT count(*) FROM pg_roles WHERE rolname = $1", [.text(role)]) == 1
    }
}
