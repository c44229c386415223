import DemoUpstreamKit
import Foundation
import SupervisorCore
import Testing
import TestSupport

@Suite("A tenant syncing for one run, asked by another")
struct BusyTenantTests {
    /// The tenant's part of a finished run.
    static func tenantPart(_ run: [String: Any]) throws -> [String: Any] {
        try #require((run["tenants"] as? [[String: Any]])?.first)
    }

    static func stream(_ name: String, of tenant: [String: Any]) -> [String: Int] {
        let streams = tenant["streams"] as? [[String: Any]] ?? []
        return streams.first { $0["stream"] as? String == name }?["counts"] as? [String: Int] ?? [:]
    }

    @Test("a sync-all with other options waits for the sync in hand, then runs with its own; one with the same options joins it")
    func otherOptionsWaitSameOptionsJoin() async throws {
        let site = DemoSite(name: "hotel-wait", accommodations: 3, bookings: 25)
        // Ten bookings a page, one page at a time: page 3 of reservations is held for 3 s, which keeps
        // the first sync busy while the other requests arrive.
        var upstream = DemoUpstreamConfiguration(sites: [site])
        upstream.faults.holdFromPage = 3
        upstream.faults.holdDelay = .seconds(3)
        try await DemoUpstreamServer.withRunningServer(configuration: upstream) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                var configuration = SupervisorTestHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: url)
                configuration.tenants[0].settings["per_page"] = "10"
                configuration.tenants[0].settings["concurrency"] = "1"
                // Before the fix, the waiting request failed once this ran out ("did not become ready").
                configuration.supervision = SupervisionSettings(readyTimeout: 1)
                try await SupervisorTestHarness.withSupervisor(configuration) { api in
                    _ = try await api.readyPID("hotel-wait")
                    let first = try #require(try await api.request("POST", "/api/tenants/hotel-wait/sync").json["run_id"] as? String)
                    _ = try await api.waitForTenant("hotel-wait", "syncing run \(first)") {
                        $0["state"] as? String == "syncing" && $0["current_run_id"] as? String == first
                    }
                    let full = try #require(try await api.request("POST", "/api/sync?full=true").json["run_id"] as? String)
                    let same = try #require(try await api.request("POST", "/api/sync").json["run_id"] as? String)
                    #expect(Set([first, full, same]).count == 3)

                    let firstRun = try await api.waitForRun(first)
                    let sameRun = try await api.waitForRun(same)
                    let fullRun = try await api.waitForRun(full)
                    for (name, run) in [("first", firstRun), ("same options", sameRun), ("full", fullRun)] {
                        let tenant = try Self.tenantPart(run)
                        #expect(run["status"] as? String == "succeeded", "\(name): \(tenant["error"] ?? "")")
                    }

                    // The request with the same options joined the first sync: the same outcome, once.
                    let firstTenant = try Self.tenantPart(firstRun)
                    let sameTenant = try Self.tenantPart(sameRun)
                    #expect(sameTenant["counts"] as? [String: Int] == firstTenant["counts"] as? [String: Int])
                    let lines = try TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
                    #expect(Self.stream("reservations", of: firstTenant)["created"] == lines)

                    // The full sync ran by itself after the first: it read everything again and found
                    // every line already stored.
                    let fullTenant = try Self.tenantPart(fullRun)
                    let fullReservations = Self.stream("reservations", of: fullTenant)
                    #expect(fullReservations["fetched"] == Self.stream("reservations", of: firstTenant)["fetched"])
                    #expect(fullReservations["created"] == 0)
                    #expect((fullReservations["unchanged"] ?? 0) + (fullReservations["updated"] ?? 0) == lines)
                    #expect((fullRun["options"] as? [String: Any])?["full"] as? Bool == true)

                    let log = try await api.request("GET", "/api/tenants/hotel-wait/logs?lines=500&grep=sync%20request").response.bodyText
                    #expect(log.contains("waits for the sync in hand to end"))
                    #expect(log.contains("joins the run in progress"))
                }
            }
        }
    }

    @Test("a tenant request with other options is a run of its own that waits; cancelled while it waits, it ends at once and the sync in hand goes on")
    func waitingRequestCancelled() async throws {
        let site = DemoSite(name: "hotel-wait-cancel", accommodations: 3, bookings: 25)
        var upstream = DemoUpstreamConfiguration(sites: [site])
        upstream.faults.holdFromPage = 3
        upstream.faults.holdDelay = .seconds(3)
        try await DemoUpstreamServer.withRunningServer(configuration: upstream) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                var configuration = SupervisorTestHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: url)
                configuration.tenants[0].settings["per_page"] = "10"
                configuration.tenants[0].settings["concurrency"] = "1"
                try await SupervisorTestHarness.withSupervisor(configuration) { api in
                    _ = try await api.readyPID("hotel-wait-cancel")
                    let first = try #require(try await api.request("POST", "/api/tenants/hotel-wait-cancel/sync").json["run_id"] as? String)
                    _ = try await api.waitForTenant("hotel-wait-cancel", "syncing run \(first)") {
                        $0["state"] as? String == "syncing" && $0["current_run_id"] as? String == first
                    }
                    let other = try await api.request("POST", "/api/tenants/hotel-wait-cancel/sync?full=true")
                    #expect(other.json["joined"] as? Bool == false)
                    let waiting = try #require(other.json["run_id"] as? String)
                    #expect(waiting != first)
                    // Once the waiting run's tenant row is claimed, the request is with the worker controller.
                    _ = try await eventually("the waiting run's tenant row claimed") {
                        try TestDatabase.scalar(url, "SELECT count(*) FROM sync_run_tenants WHERE run_id = $1 AND status = 'running'", [.text(waiting)]) == 1 ? true : nil
                    }
                    #expect(try await api.request("POST", "/api/runs/\(waiting)/cancel").status == 202)
                    let cancelled = try await api.waitForRun(waiting, timeout: .seconds(10))
                    #expect(cancelled["status"] as? String == "cancelled")
                    let tenant = try Self.tenantPart(cancelled)
                    #expect(tenant["status"] as? String == "cancelled")
                    #expect((tenant["error"] as? String)?.contains("cancelled by request") == true)
                    // The sync in hand was not touched, and is still going.
                    #expect(try await api.request("GET", "/api/runs/\(first)").json["status"] as? String == "running")
                    let firstRun = try await api.waitForRun(first)
                    #expect(firstRun["status"] as? String == "succeeded")
                    #expect(try await api.request("POST", "/api/runs/\(waiting)/cancel").status == 409)
                }
            }
        }
    }
}
