import DemoUpstreamKit
import Foundation
import Postgres
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Supervisor: with a shared worker identity, workers connect with worker_database_url, the supervisor with database_url")
struct WorkerDatabaseURLTests {
    @Test("the supervisor migrates and records runs as the owner; its workers sync as the row-level-security role")
    func workersUseTheirOwnRole() async throws {
        let site = DemoSite(name: "hotel-worker-role", accommodations: 6, bookings: 40)
        let role = "worker_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let password = "pw-" + UUID().uuidString
        defer { try? PostgresConnection(url: TestDatabase.adminURL()).execute("DROP ROLE IF EXISTS \(role)") }
        try await withSupervisorStack(sites: [site], configure: { configuration, parts in
            var components = try #require(URLComponents(string: parts.databaseURL))
            components.user = String(role)
            components.password = password
            let workerURL = try #require(components.string)
            configuration.workerDatabaseURL = workerURL
            configuration.workerIdentity = .shared
        }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            // The supervisor listens once it has migrated, with the owner's URL.
            let owner = try #require(try PostgresConnection(url: url).query("SELECT current_user AS name").rows.first?["name"] ?? nil)
            let tableOwner = try PostgresConnection(url: url).query("SELECT tableowner FROM pg_tables WHERE tablename = 'reservations'").rows.first?["tableowner"]
            #expect(tableOwner == owner)
            // A login role subject to row-level security (the group role comes from the migrations).
            try PostgresConnection(url: TestDatabase.adminURL()).execute("CREATE ROLE \(role) LOGIN PASSWORD '\(password)' NOSUPERUSER NOBYPASSRLS IN ROLE tenantsync_worker")
            // Every row records the role of the session that inserted it.
            let stamp = try PostgresConnection(url: url)
            for table in ["accommodation_types", "accommodations", "reservations", "sync_checkpoints", "sync_runs"] {
                try stamp.execute("ALTER TABLE \(table) ADD COLUMN inserted_by text DEFAULT current_user")
            }

            let accepted = try await api.request("POST", "/api/tenants/\(site.name)/sync")
            #expect(accepted.status == 202)
            let runID = try accepted.decode(SyncAccepted.self).runID
            let run = try await api.waitForRun(runID)
            #expect(run.status == .succeeded)

            for table in ["accommodation_types", "accommodations", "reservations", "sync_checkpoints"] {
                let rows = try await TestDatabase.scalar(url, "SELECT count(*) FROM \(table) WHERE tenant_id = $1", [.text(site.name)])
                #expect(rows > 0, "\(table)")
                let byWorker = try await TestDatabase.scalar(url, "SELECT count(*) FROM \(table) WHERE inserted_by = $1", [.text(String(role))])
                #expect(byWorker == rows, "\(table)")
            }
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE tenant_id = $1", [.text(site.name)]) >= 40)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE id = $1 AND inserted_by = $2", [.text(runID), .text(owner)]) == 1)
            // The role's password never reaches the run's record.
            let body = try await api.request("GET", "/api/runs/\(runID)")
            #expect(!String(decoding: body.response.body, as: UTF8.self).contains(password))
        }
    }
}
