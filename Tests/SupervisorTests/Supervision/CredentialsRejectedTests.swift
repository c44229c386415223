import DemoUpstreamKit
import Foundation
import Testing
import TestSupport

@Suite("Credentials the upstream refuses leave the tenant errored until started")
struct CredentialsRejectedTests {
    @Test("a 401 during a sync fails the run, the worker exits 78, the tenant is errored with the cause and no secret; start clears it")
    func wrongConsumerSecret() async throws {
        let site = DemoSite(name: "hotel-badcreds", accommodations: 2, bookings: 4)
        let wrongSecret = "cs_wrong_secret_4f9a2c71"
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                var configuration = SupervisionHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: url)
                configuration.tenants[0].settings["consumer_secret"] = wrongSecret
                try await SupervisionHarness.withSupervisor(configuration) { api in
                    // The handshake does not check credentials: the worker is ready.
                    let pid = try await api.readyPID("hotel-badcreds")

                    let done = try await api.request("POST", "/api/tenants/hotel-badcreds/sync?background=false")
                    #expect(done.json["status"] as? String == "failed")
                    let tenantRun = try #require((done.json["run"] as? [String: Any])?["tenants"] as? [[String: Any]]).first ?? [:]
                    let runError = try #require(tenantRun["error"] as? String)
                    #expect(runError.contains("401"))

                    let errored = try await api.waitForTenant("hotel-badcreds", "errored") { $0["state"] as? String == "errored" }
                    let cause = try #require(errored["state_cause"] as? String)
                    #expect(cause.hasPrefix("credentials rejected: "), "\(cause)")
                    #expect(cause.contains("401"))
                    #expect((errored["last_error"] as? String)?.hasPrefix("credentials rejected: ") == true)
                    #expect(errored["last_exit"] as? String == "exited with status 78")
                    #expect(errored["pid"] == nil)
                    _ = try await eventually("worker \(pid) to be gone") { processExists(pid) ? nil : true }

                    // Errored stays errored: a new sync fails at once, naming the cause, without a worker.
                    let again = try await api.request("POST", "/api/tenants/hotel-badcreds/sync?background=false")
                    #expect(again.json["status"] as? String == "failed")
                    let againError = ((again.json["run"] as? [String: Any])?["tenants"] as? [[String: Any]])?.first?["error"] as? String
                    #expect(againError?.contains("credentials rejected") == true, "\(againError ?? "")")
                    #expect(try await api.tenants()["hotel-badcreds"]?["state"] as? String == "errored")

                    // No secret in what the API shows.
                    for path in ["/api/tenants/hotel-badcreds", "/api/runs?tenant=hotel-badcreds"] {
                        let body = try await api.request("GET", path).response.bodyText
                        #expect(!body.contains(wrongSecret), "\(path)")
                        #expect(!body.contains(site.consumerSecret), "\(path)")
                    }

                    // An operator's start clears it: a fresh worker, ready again.
                    let started = try await api.request("POST", "/api/tenants/hotel-badcreds/start")
                    #expect(started.status == 200)
                    let ready = try await api.waitForTenant("hotel-badcreds", "ready after start") { $0["state"] as? String == "ready" }
                    #expect((ready["state_cause"] as? String)?.contains("credentials rejected") == false)
                    #expect(ready["pid"] as? Int != Int(pid))
                }
            }
        }
    }
}
