import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Supervisor process: SIGTERM stops every worker")
struct ShutdownTests {
    @Test("SIGTERM to `tenantsync serve` leaves no worker process behind")
    func sigtermStopsWorkers() async throws {
        let sites = ["hotel-x", "hotel-y"].map { DemoSite(name: $0, accommodations: 3, bookings: 3) }
        try await withSupervisorStack(sites: sites, as: .process) { stack in
            let api = stack.api
            let pids = try await eventually("both workers ready") { () -> [Int32]? in
                let list = try await api.decode(TenantList.self, "GET", "/api/tenants").tenants
                let ready = list.filter { $0.state == .ready }.compactMap(\.pid)
                return ready.count == 2 ? ready : nil
            }
            for pid in pids { #expect(processExists(pid)) }

            kill(stack.serve.process.processIdentifier, SIGTERM)
            let status = try await stack.serve.exits.next(timeout: .seconds(30))
            #expect(status == 0)
            for pid in pids {
                _ = try await eventually("worker \(pid) to be gone") { processExists(pid) ? nil : true }
            }
        }
    }
}
