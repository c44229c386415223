import DemoUpstreamKit
import Foundation
import IPC
import Postgres
import Support
import SyncEngine
import Testing
import TestSupport

@Suite("Row-level security: a worker bound to one tenant cannot touch another's rows")
struct RowLevelSecurityTests {
    /// `url` logging in as `user` with `password` instead.
    static func url(_ url: String, user: String, password: String) throws -> String {
        var components = try #require(URLComponents(string: url))
        components.user = user
        components.password = password
        return try #require(components.string)
    }

    @Test("syncing as a worker role works; that session can neither read nor write the other tenant's rows")
    func workerRoleIsConfinedToItsTenant() async throws {
        let siteA = DemoSite(name: "hotel-rls-a", accommodations: 6, bookings: 40)
        let siteB = DemoSite(name: "hotel-rls-b", seed: 2, accommodations: 5, bookings: 30)
        let role = "worker_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let password = "pw-" + UUID().uuidString
        let admin = try PostgresConnection(url: try TestDatabase.adminURL())
        try await TestDatabase.withDatabase { url in
            // A login role that is neither superuser nor BYPASSRLS nor the tables' owner.
            try admin.execute("CREATE ROLE \(role) LOGIN PASSWORD '\(password)' NOSUPERUSER NOBYPASSRLS IN ROLE tenantsync_worker")
            defer { try? admin.execute("DROP ROLE IF EXISTS \(role)") }
            let workerURL = try Self.url(url, user: String(role), password: password)
            try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [siteA, siteB])) { endpoint in
                let specA = DemoTenants.motoPress(site: siteA, endpoint: endpoint, databaseURL: workerURL)
                let specB = DemoTenants.motoPress(site: siteB, endpoint: endpoint, databaseURL: url)
                let resultA = try await offPool { try MotoPressSyncTests.sync(specA) }.result
                #expect(resultA.status == .succeeded, "\(resultA.error ?? "")")
                let resultB = try await offPool { try MotoPressSyncTests.sync(specB) }.result
                #expect(resultB.status == .succeeded, "\(resultB.error ?? "")")
            }
            let rowsA = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE tenant_id = $1", [.text(siteA.name)])
            let rowsB = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE tenant_id = $1", [.text(siteB.name)])
            #expect(rowsA > 0 && rowsB > 0)

            let worker = try PostgresConnection(url: workerURL)
            // Not yet bound: no tenant's rows are visible.
            #expect(try worker.query("SELECT count(*) FROM reservations").rows.first?[0] == "0")
            try TenantSession.bind(worker, tenantID: siteA.name)
            #expect(try worker.query("SELECT count(*) FROM reservations").rows.first?[0] == String(rowsA))
            #expect(try worker.query("SELECT count(*) FROM reservations WHERE tenant_id = $1", [.text(siteB.name)]).rows.first?[0] == "0")
            #expect(try worker.query("SELECT count(*) FROM sync_checkpoints WHERE tenant_id = $1", [.text(siteB.name)]).rows.first?[0] == "0")

            let updated = try worker.query("""
                WITH changed AS (UPDATE accommodations SET title = 'hijacked' WHERE tenant_id = $1 RETURNING 1) SELECT count(*) FROM changed
                """, [.text(siteB.name)]).rows.first?[0]
            #expect(updated == "0")
            let deleted = try worker.query("""
                WITH gone AS (DELETE FROM sync_rejects WHERE tenant_id = $1 RETURNING 1) SELECT count(*) FROM gone
                """, [.text(siteB.name)]).rows.first?[0]
            #expect(deleted == "0")
            #expect(throws: (any Error).self) {
                try worker.query("INSERT INTO accommodations (tenant_id, external_id, data) VALUES ($1, 4242, '{}')", [.text(siteB.name)])
            }
            // Moving one of its own rows to the other tenant is refused too.
            #expect(throws: (any Error).self) {
                try worker.query("UPDATE accommodations SET tenant_id = $1 WHERE tenant_id = $2", [.text(siteB.name), .text(siteA.name)])
            }
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM accommodations WHERE title = 'hijacked' OR external_id = 4242") == 0)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE tenant_id = $1", [.text(siteB.name)]) == rowsB)
        }
    }
}
