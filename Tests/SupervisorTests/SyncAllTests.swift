import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Supervisor: real workers, POST /api/sync, runs")
struct SyncAllTests {
    @Test("POST /api/sync answers 202 at once and the run completes with counts for every tenant")
    func syncAll() async throws {
        let sites = ["hotel-a", "hotel-b", "hotel-c"].map { DemoSite(name: $0, accommodations: 10, bookings: 120) }
        try await withSupervisorStack(sites: sites) { stack in
            let api = stack.api
            // Every tenant gets its own worker process.
            let tenants = try await eventually("all workers ready") { () -> [TenantStatus]? in
                let list = try await api.decode(TenantList.self, "GET", "/api/tenants").tenants
                return list.count == 3 && list.allSatisfy { $0.state == .ready } ? list : nil
            }
            let pids = Set(tenants.compactMap(\.pid))
            #expect(pids.count == 3)
            for pid in pids { #expect(processExists(pid)) }

            let accepted = try await api.request("POST", "/api/sync")
            #expect(accepted.status == 202)
            let answer = try accepted.decode(SyncAccepted.self)
            #expect(answer.status == "processing")
            #expect(answer.success == true)
            let runID = answer.runID
            #expect(accepted.headers.header("Location") == "/api/runs/\(runID)")

            let run = try await api.waitForRun(runID)
            #expect(run.status == .succeeded)
            #expect(run.tenants.count == 3)
            for tenant in run.tenants {
                #expect(tenant.status == .succeeded)
                #expect(tenant.counts.created > 120)
                #expect(tenant.streams.map(\.stream) == ["accommodation_types", "accommodations", "rates", "reservations"])
            }
            #expect(try await TestDatabase.scalar(stack.databaseURL, "SELECT count(*) FROM reservations WHERE accommodation_unit_id IS NULL") == 0)
            #expect(try await TestDatabase.scalar(stack.databaseURL, "SELECT count(DISTINCT tenant_id) FROM reservations") == 3)
        }
    }

    @Test("unknown tenants and runs are 404 with a JSON error; bad parameters are 400")
    func errors() async throws {
        let sites = [DemoSite(name: "hotel-err", accommodations: 2, bookings: 2)]
        try await withSupervisorStack(sites: sites) { stack in
            let api = stack.api
            let missingTenant = try await api.request("POST", "/api/tenants/nobody/sync")
            #expect(missingTenant.status == 404)
            #expect((missingTenant.json["error"] as? [String: Any])?["code"] as? String == "not_found")
            let missingRun = try await api.request("GET", "/api/runs/run_nope")
            #expect(missingRun.status == 404)
            let badDate = try await api.request("POST", "/api/sync?start_date=yesterday")
            #expect(badDate.status == 400)
            #expect(((badDate.json["error"] as? [String: Any])?["message"] as? String)?.contains("start_date") == true)
            let health = try await api.request("GET", "/health")
            #expect(health.status == 200)
        }
    }

    @Test("a second sync request for a tenant that is syncing joins the run in progress and says so")
    func busyTenantJoins() async throws {
        let sites = [DemoSite(name: "hotel-busy", accommodations: 10, bookings: 400)]
        try await withSupervisorStack(sites: sites, latency: .milliseconds(250)) { stack in
            let api = stack.api
            let first = try await api.request("POST", "/api/tenants/hotel-busy/sync")
            #expect(first.status == 202)
            let firstAnswer = try first.decode(SyncAccepted.self)
            #expect(firstAnswer.joined == false)
            let runID = firstAnswer.runID
            let second = try await api.request("POST", "/api/tenants/hotel-busy/sync")
            #expect(second.status == 202)
            let secondAnswer = try second.decode(SyncAccepted.self)
            #expect(secondAnswer.runID == runID)
            #expect(secondAnswer.joined == true)
            #expect(secondAnswer.message.contains("already syncing"))
            let run = try await api.waitForRun(runID)
            #expect(run.status == .succeeded)
            // Once the tenant is done, a new request starts a new run.
            let third = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/hotel-busy/sync")
            #expect(third.runID != runID)
            #expect(third.joined == false)
            _ = try await api.waitForRun(third.runID)
        }
    }
}
