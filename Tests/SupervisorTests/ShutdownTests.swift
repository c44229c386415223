import DemoUpstreamKit
import Foundation
import Testing
import TestSupport

@Suite("Supervisor process: SIGTERM stops every worker")
struct ShutdownTests {
    @Test("SIGTERM to `tenantsync serve` leaves no worker process behind")
    func sigtermStopsWorkers() async throws {
        let sites = ["hotel-x", "hotel-y"].map { DemoSite(name: $0, accommodations: 3, bookings: 3) }
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                let configuration = SupervisorTestHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                let serve = try await ServeProcess.start(configuration: configuration)
                defer { serve.cleanUp() }
                let supervisor = serve.process
                let exits = serve.exits
                let api = serve.api
                let pids = try await eventually("both workers ready") { () -> [Int32]? in
                    let list = try await api.request("GET", "/api/tenants").json["tenants"] as? [[String: Any]] ?? []
                    let ready = list.filter { $0["state"] as? String == "ready" }.compactMap { $0["pid"] as? Int }.map(Int32.init)
                    return ready.count == 2 ? ready : nil
                }
                for pid in pids { #expect(processExists(pid)) }

                kill(supervisor.processIdentifier, SIGTERM)
                let status = try await exits.next(timeout: .seconds(30))
                #expect(status == 0)
                for pid in pids {
                    _ = try await eventually("worker \(pid) to be gone") { processExists(pid) ? nil : true }
                }
            }
        }
    }
}
