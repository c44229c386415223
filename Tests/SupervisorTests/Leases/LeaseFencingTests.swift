import DemoUpstreamKit
import Foundation
import Postgres
import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Lease fencing: a supervisor that cannot renew stops its workers before the leases end")
struct LeaseFencingTests {
    @Test("database unreachable: workers are killed before the lease expires, and restart once it is back")
    func fencedByTime() async throws {
        let sites = ["fence-a", "fence-b"].map { DemoSite(name: $0, accommodations: 2, bookings: 2) }
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                var configuration = SupervisorTestHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                let duration = 5.0
                configuration.leases = LeaseSettings(duration: duration, renewInterval: 1, pollInterval: 0.5)
                let databaseName = String(URLComponents(string: url)?.path.dropFirst() ?? "")
                let admin = try TestDatabase.adminURL()
                let owner = configuration.supervisorID ?? ""
                try await SupervisorTestHarness.withSupervisor(configuration) { [configuration = configuration] api in
                    _ = configuration
                    let pids = try await eventually("both workers ready") { () -> [Int32]? in
                        let ready = try await SeveralSupervisors.readyHere(api, owner: owner)
                        return ready.count == 2 ? Array(ready.values) : nil
                    }
                    // Cut the supervisor off its database: no new connection, existing ones closed.
                    try await offPool {
                        let connection = try PostgresConnection(url: admin)
                        try connection.execute("ALTER DATABASE \(databaseName) WITH ALLOW_CONNECTIONS false")
                        _ = try connection.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [.text(databaseName)])
                    }
                    let cutAt = ContinuousClock.now
                    for pid in pids {
                        _ = try await eventually(timeout: .seconds(duration + 5), "worker \(pid) to be fenced") { processExists(pid) ? nil : true }
                    }
                    // A worker may also die of its closed database connection and be restarted; the fence
                    // stops that one too. Either way no worker is left once the fence has acted.
                    let fenced = try await eventually(timeout: .seconds(duration + 5), "no worker left for either tenant") { () -> [String: [String: Any]]? in
                        let tenants = try await SeveralSupervisors.tenants(api)
                        return tenants.values.allSatisfy({ $0["pid"] == nil && $0["state"] as? String == "stopped" }) ? tenants : nil
                    }
                    // The last renewal was before the cut, so the leases end before cut + duration.
                    #expect(ContinuousClock.now - cutAt < .milliseconds(Int(duration * 1000)))
                    #expect(fenced.values.allSatisfy { $0["owner"] == nil })

                    try await offPool {
                        let connection = try PostgresConnection(url: admin)
                        try connection.execute("ALTER DATABASE \(databaseName) WITH ALLOW_CONNECTIONS true")
                    }
                    let again = try await eventually("workers back once the database is") { () -> [Int32]? in
                        let ready = try await SeveralSupervisors.readyHere(api, owner: owner)
                        return ready.count == 2 ? Array(ready.values) : nil
                    }
                    #expect(Set(again).isDisjoint(with: pids))
                }
            }
        }
    }
}
