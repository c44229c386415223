import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Readiness and errors during an outage: /ready says why, every 5xx is JSON with a logged request id", .timeLimit(.minutes(5)))
struct OutageVisibilityTests {
    static func error(_ response: APIResponse) -> [String: Any] {
        response.json["error"] as? [String: Any] ?? [:]
    }

    @Test("database stopped: /ready answers 503 with the reasons, API errors are JSON 500s whose request id is in the log, fenced workers say why")
    func databaseOutage() async throws {
        let site = DemoSite(name: "outage-a", accommodations: 2, bookings: 2)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await PrivateCluster.with { cluster in
                var configuration = SupervisorTestHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: cluster.url)
                // Short leases, so the fence acts within seconds, yet long enough that a loaded machine renews them in time.
                configuration.leases = LeaseSettings(duration: 8, renewInterval: 2, pollInterval: 0.5)
                let log = HardeningHarness.CapturedLog()
                try await SupervisorTestHarness.withRunningSupervisor(configuration, logger: log.logger) { running in
                    let api = running.api
                    _ = try await api.readyPID(site.name)
                    // Ready once a lease renewal is recent: on a loaded machine one can come late, and /ready
                    // then says so (`leases not renewing`) until the next.
                    let ready = try await eventually("/ready to answer 200") { () -> APIResponse? in
                        let answer = try await api.with(apiKey: nil).request("GET", "/ready")
                        return answer.status == 200 ? answer : nil
                    }
                    #expect(ready.json["status"] as? String == "ready")
                    #expect(try await api.with(apiKey: nil).request("GET", "/health").json["status"] as? String == "ok")

                    // Hummingbird's own answers are the documented JSON too.
                    let unknown = try await api.request("GET", "/no/such/route")
                    #expect(unknown.status == 404)
                    #expect(Self.error(unknown)["code"] as? String == "not_found")
                    #expect((Self.error(unknown)["request_id"] as? String)?.isEmpty == false)
                    let nul = try await api.request("GET", "/api/runs?tenant=%00")
                    #expect(nul.status == 400)
                    #expect(Self.error(nul)["code"] as? String == "bad_request")

                    try await offPool { try cluster.stop() }

                    for (method, path) in [("GET", "/api/runs"), ("POST", "/api/sync")] {
                        let failed = try await api.request(method, path)
                        #expect(failed.status == 500, "\(method) \(path)")
                        let error = Self.error(failed)
                        #expect(error["code"] as? String == "internal_error")
                        let requestID = try #require(error["request_id"] as? String, "\(method) \(path): \(failed.response.bodyText)")
                        #expect(failed.headers.header("X-Request-ID") == requestID)
                        #expect(log.all.contains { $0.hasPrefix("error request failed") && $0.contains("http.request_id=\(requestID)") })
                    }

                    let notReady = try await eventually("/ready to say the database is unreachable") { () -> APIResponse? in
                        let answer = try await api.with(apiKey: nil).request("GET", "/ready")
                        return answer.status == 503 ? answer : nil
                    }
                    #expect(Self.error(notReady)["code"] as? String == "not_ready")
                    #expect((Self.error(notReady)["message"] as? String)?.contains("database unreachable") == true)
                    #expect(Self.error(notReady)["request_id"] is String)

                    // The leases cannot be renewed: the worker is fenced, and its status says why.
                    let fenced = try await api.waitForTenant(site.name, "stopped by the fence", timeout: .seconds(20)) {
                        $0.state == .stopped && $0.pid == nil
                    }
                    let cause = fenced.stateCause
                    #expect(cause.hasPrefix("lease lost: database unreachable"), "\(cause)")
                    let leasesDown = try await api.with(apiKey: nil).request("GET", "/ready")
                    #expect((Self.error(leasesDown)["message"] as? String)?.contains("leases not renewing") == true, "\(leasesDown.response.bodyText)")

                    try await offPool { try cluster.start() }
                    _ = try await eventually("/ready once the database is back") { () -> Bool? in
                        try await api.with(apiKey: nil).request("GET", "/ready").status == 200 ? true : nil
                    }
                    _ = try await api.readyPID(site.name)
                }
            }
        }
    }

    @Test("/ready names missing migrations")
    func migrationsNotApplied() async throws {
        try await TestDatabase.withDatabase(migrated: false) { url in
            let probe = DatabaseProbe(databaseURL: url)
            let problem = try #require(await probe.problem())
            #expect(problem.hasPrefix("migrations not applied"), "\(problem)")
        }
        try await TestDatabase.withDatabase(migrated: true) { url in
            #expect(await DatabaseProbe(databaseURL: url).problem() == nil)
        }
    }
}
