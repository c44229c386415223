import DemoUpstreamKit
import Foundation
import SupervisorCore
import Testing
import TestSupport

@Suite("Counts of a tenant whose worker died mid-sync are what was committed")
struct CrashCountsTests {
    static func stream(_ name: String, of tenant: [String: Any]) -> [String: Any] {
        (tenant["streams"] as? [[String: Any]] ?? []).first { $0["stream"] as? String == name } ?? [:]
    }

    static func created(_ name: String, of tenant: [String: Any]) -> Int? {
        (stream(name, of: tenant)["counts"] as? [String: Int])?["created"]
    }

    @Test("a crash then a retry: attempts 2, and counts add what each attempt committed (every stored row counted as created once)")
    func retriedCountsBothAttempts() async throws {
        let site = DemoSite(name: "crash-counts", accommodations: 4, bookings: 30)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    let configuration = SupervisionHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: url)
                    // The first worker SIGKILLs itself right after reporting its first committed page.
                    let faults = SupervisionHarness.fault("crash-on-sync", tenant: site.name, once: true, directory: directory)
                    try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                        _ = try await api.readyPID(site.name)
                        let runID = try #require(try await api.request("POST", "/api/tenants/\(site.name)/sync").json["run_id"] as? String)
                        let run = try await api.waitForRun(runID, timeout: .seconds(90))
                        #expect(run["status"] as? String == "succeeded")
                        let tenant = try #require((run["tenants"] as? [[String: Any]])?.first)
                        #expect(tenant["attempts"] as? Int == 2)
                        // Rows the crashed attempt committed were created then; the retry found them unchanged.
                        let types = try TestDatabase.scalar(url, "SELECT count(*) FROM accommodation_types")
                        #expect(types > 0)
                        #expect(Self.created("accommodation_types", of: tenant) == types)
                        #expect(Self.created("reservations", of: tenant) == (try TestDatabase.scalar(url, "SELECT count(*) FROM reservations")))
                        let counts = try #require(tenant["counts"] as? [String: Int])
                        let streams = tenant["streams"] as? [[String: Any]] ?? []
                        #expect(counts["created"] == streams.compactMap { ($0["counts"] as? [String: Int])?["created"] }.reduce(0, +))
                        #expect(streams.allSatisfy { $0["status"] as? String == "succeeded" })

                        let events = ServerSentEvent.parse(try await api.request("GET", "/api/runs/\(runID)/events").response.bodyText)
                        let completed = try #require(events.first { $0.name == "tenant_completed" })
                        #expect(completed.data["counts"] as? [String: Int] == counts)
                    }
                }
            }
        }
    }

    @Test("a crash with no retry left: the tenant fails with the cause and the counts its worker committed, in the API and the callback")
    func failedKeepsCommittedCounts() async throws {
        let site = DemoSite(name: "crash-failed", accommodations: 4, bookings: 30)
        let receiver = try WebhookReceiver()
        try await receiver.withRunning { hookURL in
            try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
                try await TestDatabase.withDatabase(migrated: false) { url in
                    try await SupervisionHarness.withDirectory { directory in
                        var configuration = SupervisionHarness.configuration(
                            sites: [site], endpoint: endpoint, databaseURL: url, supervision: SupervisionSettings(syncRetries: 0)
                        )
                        WebhookDeliveryTests.configure(&configuration, url: hookURL)
                        let faults = SupervisionHarness.fault("crash-on-sync", tenant: site.name, once: false, directory: directory)
                        try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                            _ = try await api.readyPID(site.name)
                            let runID = try #require(try await api.request("POST", "/api/tenants/\(site.name)/sync").json["run_id"] as? String)
                            let run = try await api.waitForRun(runID)
                            #expect(run["status"] as? String == "failed")
                            let tenant = try #require((run["tenants"] as? [[String: Any]])?.first)
                            #expect(tenant["attempts"] as? Int == 1)
                            #expect((tenant["error"] as? String)?.contains("killed by signal 9 during the run") == true)
                            let committed = try TestDatabase.scalar(url, "SELECT count(*) FROM accommodation_types")
                            #expect(committed > 0)
                            #expect((tenant["counts"] as? [String: Int])?["created"] == committed)
                            let types = Self.stream("accommodation_types", of: tenant)
                            #expect(types["status"] as? String == "failed")
                            #expect((types["error"] as? String)?.contains("killed by signal 9") == true)
                            #expect(Self.stream("reservations", of: tenant)["status"] as? String == "skipped")
                            #expect((run["totals"] as? [String: Int])?["created"] == committed)

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
        }
    }
}
