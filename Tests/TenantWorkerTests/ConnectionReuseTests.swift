import DemoUpstreamKit
import Foundation
import IPC
import Testing
import TestSupport

@Suite("The worker's database connection across runs")
struct ConnectionReuseTests {
    @Test("a second run reuses the first run's connection; one the server closed while idle is replaced, and the run still succeeds")
    func connectionIsKeptAndReplaced() async throws {
        let site = DemoSite(name: "hotel-reuse", accommodations: 4, bookings: 20)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
                let worker = try WorkerHarness()
                worker.send(.hello(Hello(tenantID: site.name, tenant: spec)))
                _ = try await worker.next { if case .ready = $0 { true } else { false } }
                // The server processes of this database other than the asking one: the worker's.
                let others = """
                    SELECT coalesce(string_agg(pid::text, ',' ORDER BY pid), '') FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                    """
                func sync(_ runID: String) async throws {
                    worker.send(.sync(SyncCommand(runID: runID)))
                    let message = try await worker.next { if case .result = $0 { true } else { false } }
                    guard case .result(let result) = message else { return }
                    #expect(result.status == .succeeded, "\(result.error ?? "")")
                }

                try await sync("first")
                let first = try await TestDatabase.text(url, others)
                #expect(!first.isEmpty && !first.contains(","))
                try await sync("second")
                #expect(try await TestDatabase.text(url, others) == first)

                // Closed by the server between runs (a restart, an idle timeout, an operator).
                _ = try await TestDatabase.text(url, "SELECT pg_terminate_backend(\(first))::text")
                try await sync("third")
                let third = try await TestDatabase.text(url, others)
                #expect(!third.isEmpty && third != first)
                #expect(try await TestDatabase.scalar(url, "SELECT count(DISTINCT booking_id) FROM reservations") == 20)
                worker.closeInput()
                _ = try await worker.waitForExit()
            }
        }
    }
}
