import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("POST /api/tenants/{id}/check: the connector's connection test, in the tenant's worker")
struct ConnectionCheckTests {
    @Test("a good tenant answers 200 with what was found; a wrong secret or an unreachable site answers 502 saying what to fix")
    func checks() async throws {
        let sites = [DemoSite(name: "check-a", accommodations: 3, bookings: 2)]
        try await withSupervisorStack(sites: sites) { stack in
            let api = stack.api
            let pid = try await api.readyPID("check-a")
            let passed = try await api.request("POST", "/api/tenants/check-a/check")
            #expect(passed.status == 200)
            let found = try passed.decode(APIAnswers.ConnectionChecked.self)
            #expect(found.passed)
            #expect(found.message == "connection test successful: 3 accommodations found")
            // The test ran in the worker that was there; nothing was restarted for it.
            #expect(try await api.tenants()["check-a"]?.pid == pid)

            let wrongSecret = "wrong-secret-\(UUID().uuidString.prefix(8))"
            let patched = try await api.request("PATCH", "/api/tenants/check-a", json: #"{"settings": {"consumer_secret": "\#(wrongSecret)"}}"#)
            #expect(patched.status == 200)
            _ = try await api.waitForTenant("check-a", "replaced") { $0.state == .ready && $0.pid.map { $0 != pid } == true }
            let refused = try await api.request("POST", "/api/tenants/check-a/check")
            #expect(refused.status == 502)
            let error = RegistryRequests.error(refused)
            #expect(error.code == "connection_failed")
            #expect(error.message?.contains("refused the credentials") == true)
            #expect(error.message?.contains("check consumer_secret") == true)
            #expect(error.message?.contains(wrongSecret) == false)

            let unreachable = try await api.request("PATCH", "/api/tenants/check-a", json: #"{"settings": {"base_url": "http://127.0.0.1:1/site", "max_attempts": 1}}"#)
            #expect(unreachable.status == 200)
            _ = try await api.waitForTenant("check-a", "replaced again") { $0.state == .ready && $0.configuration?.tenant.settings["base_url"] == "http://127.0.0.1:1/site" }
            let down = try await api.request("POST", "/api/tenants/check-a/check")
            #expect(down.status == 502)
            #expect(RegistryRequests.error(down).message?.contains("could not be reached") == true)

            // A stopped worker cannot test anything.
            _ = try await api.request("POST", "/api/tenants/check-a/stop")
            let stopped = try await api.request("POST", "/api/tenants/check-a/check")
            #expect(stopped.status == 409)
            #expect(RegistryRequests.error(stopped).code == "worker_not_ready")
            #expect(try await api.request("POST", "/api/tenants/nobody/check").status == 404)
        }
    }
}
