import DemoUpstreamKit
import Foundation
import SupervisorCore
import Testing
import TestSupport

@Suite("Default supervisor id: a supervisor restarted on the same host interrupts its dead predecessor's runs")
struct DefaultSupervisorIDTests {
    @Test("SIGKILL mid-sync, then a new `tenantsync serve` with the default hostname:pid id: the old run is interrupted and its tenant re-queued")
    func restartedSupervisorInterruptsDeadRuns() async throws {
        let site = DemoSite(name: "defaultid-a", accommodations: 3, bookings: 40)
        let upstream = DemoUpstreamConfiguration(sites: [site], faults: .holding(for: .seconds(60)))
        try await DemoUpstreamServer.withRunningServer(configuration: upstream) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                var configuration = SupervisorTestHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: url)
                configuration.supervisorID = nil
                configuration.fetchOnePageAtATime()

                let first = try await ServeProcess.start(configuration: configuration)
                defer { first.cleanUp() }
                let runID = try #require(try await first.api.request("POST", "/api/sync").json["run_id"] as? String)
                _ = try await first.api.waitForTenant(site.name, "syncing reservations") {
                    $0.progress?.stream == "reservations"
                }
                kill(first.process.processIdentifier, SIGKILL)
                _ = try await first.exits.next(timeout: .seconds(30))

                let second = try await ServeProcess.start(configuration: configuration)
                defer { second.cleanUp() }
                let run = try await second.api.waitForRun(runID, timeout: .seconds(30))
                #expect(run.status == .interrupted)
                let tenant = try #require(run.tenants.first)
                #expect(tenant.status == .interrupted)
                let runs = try await second.api.request("GET", "/api/runs").json["runs"] as? [[String: Any]] ?? []
                #expect(runs.contains { $0["trigger"] as? String == "requeue:\(runID)" })
                kill(second.process.processIdentifier, SIGTERM)
                #expect(try await second.exits.next(timeout: .seconds(60)) == 0)
            }
        }
    }
}
