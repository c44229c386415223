import DemoUpstreamKit
import Foundation
import Postgres
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Lease fencing: a supervisor that cannot renew stops its workers before the leases end")
struct LeaseFencingTests {
    @Test("database unreachable: workers are killed before the lease expires, and restart once it is back")
    func fencedByTime() async throws {
        let sites = ["fence-a", "fence-b"].map { DemoSite(name: $0, accommodations: 2, bookings: 2) }
        let duration = 5.0
        try await withSupervisorStack(sites: sites, configure: { configuration, _ in
            configuration.leases = LeaseSettings(duration: duration, renewInterval: 1, pollInterval: 0.5)
        }) { stack in
            let api = stack.api
            let databaseName = String(URLComponents(string: stack.databaseURL)?.path.dropFirst() ?? "")
            let admin = try TestDatabase.adminURL()
            let owner = stack.configuration.supervisorID ?? ""
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
            // The last renewal was before the cut, so the leases end before cut + duration: the
            // workers are gone by then (seen from here, a little later still).
            let fencedAfter = ContinuousClock.now - cutAt
            #expect(fencedAfter < .milliseconds(Int(duration * 1000)), "\(fencedAfter)")
            // A worker may also die of its closed database connection and be restarted; the fence
            // stops that one too. Either way no worker is left once the fence has acted.
            let fenced = try await eventually(timeout: .seconds(duration + 5), "no worker left for either tenant") { () -> [String: TenantStatus]? in
                let tenants = try await api.tenants()
                return tenants.values.allSatisfy({ $0.pid == nil && $0.state == .stopped }) ? tenants : nil
            }
            #expect(fenced.values.allSatisfy { $0.owner == nil })

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
