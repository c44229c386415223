import DemoUpstreamKit
import Foundation
import Postgres
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Least privilege: each worker logs in as its tenant's role, which sees and changes nothing of another tenant")
struct TenantRoleTests {
    @Test("workers write as their tenant's role; as that role, any SQL (another tenant's id in the session, SET ROLE) reads and changes nothing of the other tenant")
    func tenantRoleIsolation() async throws {
        let sites = [DemoSite(name: "role-a", accommodations: 3, bookings: 12), DemoSite(name: "role-b", accommodations: 3, bookings: 12)]
        try await withSupervisorStack(sites: sites) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            // Every row records the login role of the session that inserted it.
            try await offPool { () throws -> Void in
                let admin = try PostgresConnection(url: url)
                for table in ["accommodations", "reservations", "sync_checkpoints"] {
                    try admin.execute("ALTER TABLE \(table) ADD COLUMN inserted_by text DEFAULT session_user")
                }
            }
            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/sync").runID
            #expect(try await api.waitForRun(runID).status == .succeeded)

            let roles = try await Self.roles(url)
            #expect(Set(roles.keys) == ["role-a", "role-b"])
            #expect(Set(roles.values).count == 2)
            for (tenant, role) in roles {
                #expect(role.hasPrefix("tenantsync_w_"))
                for table in ["accommodations", "reservations", "sync_checkpoints"] {
                    let rows = try await TestDatabase.scalar(url, "SELECT count(*) FROM \(table) WHERE tenant_id = $1", [.text(tenant)])
                    #expect(rows > 0, "\(table) of \(tenant)")
                    let byItsRole = try await TestDatabase.scalar(url, "SELECT count(*) FROM \(table) WHERE tenant_id = $1 AND inserted_by = $2", [.text(tenant), .text(role)])
                    #expect(byItsRole == rows, "\(table) of \(tenant): written by its own role")
                }
            }
            let bRows = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE tenant_id = 'role-b'")

            // Log in as role-a's role, with a password issued here as the supervisor would.
            let password = "test-" + UUID().uuidString
            _ = try await TestDatabase.text(url, "SELECT tenantsync_issue_worker_role('role-a', $1)", [.text(password)])
            var components = try #require(URLComponents(string: url))
            components.user = try #require(roles["role-a"])
            components.password = password
            let asA = try #require(components.string)
            try await offPool { () throws -> Void in
                let worker = try PostgresConnection(url: asA)
                func count(_ sql: String) throws -> Int {
                    Int(try worker.query(sql).rows.first?[0] ?? "") ?? -1
                }
                #expect(try count("SELECT count(*) FROM reservations WHERE tenant_id = 'role-a'") > 0)
                #expect(try count("SELECT count(*) FROM reservations WHERE tenant_id = 'role-b'") == 0)
                // Naming the other tenant in the session changes nothing: the login role decides.
                _ = try worker.query("SELECT set_config('tenantsync.tenant_id', 'role-b', false)")
                #expect(try count("SELECT count(*) FROM reservations WHERE tenant_id = 'role-b'") == 0)
                #expect(try count("SELECT count(*) FROM reservations") > 0, "its own rows still")
                #expect(try count("WITH changed AS (UPDATE reservations SET status = 'hijacked' WHERE tenant_id = 'role-b' RETURNING 1) SELECT count(*) FROM changed") == 0)
                #expect(try count("WITH gone AS (DELETE FROM accommodations WHERE tenant_id = 'role-b' RETURNING 1) SELECT count(*) FROM gone") == 0)
                #expect(throws: PostgresError.self, "a row for another tenant is refused") {
                    try worker.execute("INSERT INTO sync_checkpoints (tenant_id, stream) VALUES ('role-b', 'planted')")
                }
                // Taking on the group role changes nothing either: the session's login role stays.
                try worker.execute("SET ROLE tenantsync_worker")
                #expect(try count("SELECT count(*) FROM reservations WHERE tenant_id = 'role-b'") == 0)
                try worker.execute("RESET ROLE")
                // Nor can it read the role map or issue itself another tenant's role.
                #expect(throws: PostgresError.self) { try worker.query("SELECT count(*) FROM tenant_roles") }
                #expect(throws: PostgresError.self) { try worker.query("SELECT tenantsync_issue_worker_role('role-b', 'x')") }
            }
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE tenant_id = 'role-b'") == bRows)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE status = 'hijacked'") == 0)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_checkpoints WHERE stream = 'planted'") == 0)

            // The next worker gets a new password and syncs as before; no password shows in the API.
            #expect(try await api.request("POST", "/api/tenants/role-a/restart").status == 200)
            let again = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/role-a/sync").runID
            #expect(try await api.waitForRun(again).status == .succeeded)
            let tenants = try await api.request("GET", "/api/tenants")
            #expect(!String(decoding: tenants.response.body, as: UTF8.self).contains("tenantsync_w_"))
        }
    }

    /// Tenant id → the role issued for it.
    static func roles(_ url: String) async throws -> [String: String] {
        try await offPool { () throws -> [String: String] in
            var roles: [String: String] = [:]
            for row in try PostgresConnection(url: url).query("SELECT tenant_id, role_name FROM tenant_roles").rows {
                roles[row["tenant_id"].flatMap { $0 } ?? ""] = row["role_name"].flatMap { $0 } ?? ""
            }
            return roles
        }
    }
}
