import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Counts of a tenant whose worker died mid-sync are what was committed")
struct CrashCountsTests {
    @Test("a crash then a retry: attempts 2, and counts add what each attempt committed (every stored row counted as created once)")
    func retriedCountsBothAttempts() async throws {
        let site = DemoSite(name: "crash-counts", accommodations: 4, bookings: 30)
        // The first worker SIGKILLs itself right after reporting its first committed page.
        try await withSupervisorStack(
            sites: [site], supervision: SupervisionSettings(), fault: InjectedFault("crash-on-sync", tenant: site.name, once: true)
        ) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            _ = try await api.readyPID(site.name)
            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/\(site.name)/sync").runID
            let run = try await api.waitForRun(runID, timeout: .seconds(90))
            #expect(run.status == .succeeded)
            let tenant = try #require(run.tenants.first)
            #expect(tenant.attempts == 2)
            // Rows the crashed attempt committed were created then; the retry found them unchanged.
            let types = try await TestDatabase.scalar(url, "SELECT count(*) FROM accommodation_types")
            #expect(types > 0)
            #expect(tenant.stream("accommodation_types")?.counts.created == types)
            #expect(tenant.stream("reservations")?.counts.created == (try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations")))
            let counts = tenant.counts
            #expect(counts.created == tenant.streams.map(\.counts.created).reduce(0, +))
            #expect(tenant.streams.allSatisfy { $0.status == .succeeded })

            let events = ServerSentEvent.parse(try await api.request("GET", "/api/runs/\(runID)/events").response.bodyText)
            let completed = try #require(events.first { $0.name == "tenant_completed" })
            #expect(completed.data["counts"] as? [String: Int] == (try JSONSerialization.jsonObject(with: JSONEncoder().encode(counts)) as? [String: Int]))
        }
    }

    @Test("a crash with no retry left: the tenant fails with the cause and the counts its worker committed, in the API and the callback")
    func failedKeepsCommittedCounts() async throws {
        let site = DemoSite(name: "crash-failed", accommodations: 4, bookings: 30)
        let receiver = try WebhookReceiver()
        try await receiver.withRunning { hookURL in
            try await withSupervisorStack(
                sites: [site], supervision: SupervisionSettings(syncRetries: 0), fault: InjectedFault("crash-on-sync", tenant: site.name, once: false),
                configure: { configuration, _ in WebhookDeliveryTests.configure(&configuration, url: hookURL) }
            ) { stack in
                let (api, url) = (stack.api, stack.databaseURL)
                _ = try await api.readyPID(site.name)
                let runID = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/\(site.name)/sync").runID
                let run = try await api.waitForRun(runID)
                #expect(run.status == .failed)
                let tenant = try #require(run.tenants.first)
                #expect(tenant.attempts == 1)
                #expect(tenant.error?.contains("killed by signal 9 during the run") == true)
                let committed = try await TestDatabase.scalar(url, "SELECT count(*) FROM accommodation_types")
                #expect(committed > 0)
                #expect(tenant.counts.created == committed)
                let types = tenant.stream("accommodation_types")
                #expect(types?.status == .failed)
                #expect(types?.error?.contains("killed by signal 9") == true)
                #expect(tenant.stream("reservations")?.status == .skipped)
                #expect(run.totals.created == committed)

                let callback = try #require(try await receiver.arrivals.next(timeout: .seconds(30))).json
                #expect(callback["run_id"] as? String == runID)
                let results = try #require(callback["results"] as? [String: Any])
                #expect(results["new"] as? Int == committed)
                #expect(results["new_accommodation_types"] as? Int == committed)
                let breakdown = try #require((callback["tenants"] as? [[String: Any]])?.first?["results"] as? [String: Any])
                #expect(breakdown["new"] as? Int == committed)
            }
        }
    }
}
