import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Credentials the upstream refuses leave the tenant errored until started")
struct CredentialsRejectedTests {
    @Test("a 401 during a sync fails the run, the worker exits 78, the tenant is errored with the cause and no secret; start clears it")
    func wrongConsumerSecret() async throws {
        let site = DemoSite(name: "hotel-badcreds", accommodations: 2, bookings: 4)
        let wrongSecret = "cs_wrong_secret_4f9a2c71"
        try await withSupervisorStack(sites: [site], supervision: SupervisionSettings(), configure: { configuration, _ in
            configuration.tenants[0].settings["consumer_secret"] = wrongSecret
        }) { stack in
            let api = stack.api
            // The handshake does not check credentials: the worker is ready.
            let pid = try await api.readyPID("hotel-badcreds")

            let done = try await api.decode(SyncFinished.self, "POST", "/api/tenants/hotel-badcreds/sync?background=false")
            #expect(done.status == .failed)
            let runError = try #require(done.run.tenants.first?.error)
            #expect(runError.contains("401"))

            let errored = try await api.waitForTenant("hotel-badcreds", "errored") { $0.state == .errored }
            let cause = errored.stateCause
            #expect(cause.hasPrefix("credentials rejected: "), "\(cause)")
            #expect(cause.contains("401"))
            #expect(errored.lastError?.hasPrefix("credentials rejected: ") == true)
            #expect(errored.lastExit == "exited with status 78")
            #expect(errored.pid == nil)
            _ = try await eventually("worker \(pid) to be gone") { processExists(pid) ? nil : true }

            // Errored stays errored: a new sync fails at once, naming the cause, without a worker.
            let again = try await api.decode(SyncFinished.self, "POST", "/api/tenants/hotel-badcreds/sync?background=false")
            #expect(again.status == .failed)
            let againError = again.run.tenants.first?.error
            #expect(againError?.contains("credentials rejected") == true, "\(againError ?? "")")
            #expect(try await api.tenants()["hotel-badcreds"]?.state == .errored)

            // No secret in what the API shows.
            for path in ["/api/tenants/hotel-badcreds", "/api/runs?tenant=hotel-badcreds"] {
                let body = try await api.request("GET", path).response.bodyText
                #expect(!body.contains(wrongSecret), "\(path)")
                #expect(!body.contains(site.consumerSecret), "\(path)")
            }

            // An operator's start clears it: a fresh worker, ready again.
            let started = try await api.request("POST", "/api/tenants/hotel-badcreds/start")
            #expect(started.status == 200)
            let ready = try await api.waitForTenant("hotel-badcreds", "ready after start") { $0.state == .ready }
            #expect(ready.stateCause.contains("credentials rejected") == false)
            #expect(ready.pid != pid)
        }
    }
}
