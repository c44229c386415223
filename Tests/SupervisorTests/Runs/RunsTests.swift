import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Support
import Testing
import TestSupport

/// Server-Sent Events parsed from a whole `text/event-stream` body.
struct ServerSentEvent {
    var id: Int
    var name: String
    var data: [String: Any]

    static func parse(_ text: String) -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        return parser.feed(Array(text.utf8)).compactMap { event in
            guard let id = event.id.flatMap({ Int($0) }) else { return nil }
            let object = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8))) as? [String: Any] ?? [:]
            return ServerSentEvent(id: id, name: event.name, data: object)
        }
    }
}

@Suite("Runs: background=false, listing, cancel, live events")
struct RunsTests {
    @Test("background=false answers 200 with the final counts, and the run is listed")
    func foreground() async throws {
        let sites = [DemoSite(name: "hotel-fg", accommodations: 4, bookings: 40)]
        try await withSupervisorStack(sites: sites) { stack in
            let api = stack.api
            let answer = try await api.request("POST", "/api/tenants/hotel-fg/sync?background=false&start_date=2025-01-01&end_date=2025-12-31")
            #expect(answer.status == 200)
            let done = try answer.decode(SyncFinished.self)
            #expect(done.status == .succeeded)
            #expect(done.success == true)
            let results = done.results
            let totals = done.run.totals
            // MotoPress keeps the lines whose check-in falls in the range.
            let lines = DemoSiteDataset(site: sites[0]).bookings
                .filter { $0.checkInDate >= "2025-01-01" && $0.checkInDate <= "2025-12-31" }
                .map(\.reservedAccommodations.count).reduce(0, +)
            #expect(lines > 0)
            #expect((results["new"] ?? 0) > lines)
            #expect(results["new"] == totals.created)
            #expect(results["new_reservations"] == lines)
            #expect(results["total_fetched"] == totals.fetched)
            #expect(done.run.options?.startDate == "2025-01-01")

            let runID = done.runID
            let listed = try await api.decode(RunList.self, "GET", "/api/runs?tenant=hotel-fg&status=succeeded&limit=5").runs
            #expect(listed.map(\.runID) == [runID])
            let none = try await api.decode(RunList.self, "GET", "/api/runs?tenant=hotel-fg&status=failed").runs
            #expect(none.isEmpty)
            #expect(try await api.request("POST", "/api/runs/\(runID)/cancel").status == 409)
            #expect(try await api.request("POST", "/api/sync?background=maybe").status == 400)
        }
    }

    @Test("events stream live to the end; a reconnect with Last-Event-ID gets exactly what it missed")
    func events() async throws {
        let sites = ["hotel-e1", "hotel-e2"].map { DemoSite(name: $0, accommodations: 5, bookings: 250) }
        try await withSupervisorStack(sites: sites) { stack in
            let api = stack.api
            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/sync").runID
            // Connects while the run goes on; the stream ends with the run's `completed` event.
            let live = try await api.request("GET", "/api/runs/\(runID)/events")
            #expect(live.status == 200)
            #expect(live.headers.header("Content-Type")?.hasPrefix("text/event-stream") == true)
            let events = ServerSentEvent.parse(live.response.bodyText)
            #expect(events.map(\.id) == Array(1...events.count))
            #expect(events.last?.name == "completed")
            #expect(events.last?.data["status"] as? String == "succeeded")
            #expect(events.filter { $0.name == "tenant_completed" }.count == 2)
            let progress = try #require(events.first { $0.name == "progress" })
            #expect(progress.data["tenant"] is String)
            #expect((progress.data["step_label"] as? String)?.hasPrefix("Step ") == true)
            #expect(progress.data["counts"] is [String: Any])

            let middle = events.count / 2
            let resumed = try await api.request("GET", "/api/runs/\(runID)/events", headers: [(name: "Last-Event-ID", value: String(middle))])
            let rest = ServerSentEvent.parse(resumed.response.bodyText)
            #expect(rest.map(\.id) == Array((middle + 1)...events.count))
            #expect(rest.last?.name == "completed")
            #expect(try await api.request("GET", "/api/runs/\(runID)/events", headers: [(name: "Last-Event-ID", value: "x")]).status == 400)
        }
    }

    @Test("cancel stops queued tenants and the run ends cancelled")
    func cancel() async throws {
        let sites = ["hotel-c1", "hotel-c2", "hotel-c3"].map { DemoSite(name: $0, accommodations: 5, bookings: 400) }
        try await withSupervisorStack(sites: sites, configure: { configuration, _ in configuration.concurrency = 1 }) { stack in
            let api = stack.api
            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/sync").runID
            let cancel = try await api.request("POST", "/api/runs/\(runID)/cancel")
            #expect(cancel.status == 202)
            let run = try await api.waitForRun(runID)
            #expect(run.status == .cancelled)
            #expect(run.tenants.filter { $0.status == .cancelled }.count >= 2)
            let events = ServerSentEvent.parse(try await api.request("GET", "/api/runs/\(runID)/events").response.bodyText)
            #expect(events.last?.data["status"] as? String == "cancelled")
        }
    }

    @Test("cancel stops a tenant mid-sync after its batch in hand: the run ends cancelled and what was committed stays")
    func cancelRunningTenant() async throws {
        let site = DemoSite(name: "hotel-c-mid", accommodations: 5, bookings: 300)
        // Every list page from the fourth on takes a second: 27 s of reservations, far longer than the test needs.
        try await withSupervisorStack(sites: [site], upstreamFaults: .holding(fromPage: 4, for: .seconds(1)), configure: { configuration, _ in
            configuration.fetchOnePageAtATime()
        }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/sync").runID
            _ = try await eventually("reservations being committed") {
                try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations") > 0 ? true : nil
            }
            #expect(try await api.request("POST", "/api/runs/\(runID)/cancel").status == 202)
            let run = try await api.waitForRun(runID)
            #expect(run.status == .cancelled)
            let tenant = try #require(run.tenants.first)
            #expect(tenant.status == .cancelled)
            #expect(tenant.error?.contains("cancelled by request") == true)
            let committed = try await TestDatabase.scalar(url, "SELECT count(DISTINCT booking_id) FROM reservations")
            #expect(committed > 0 && committed < 300)
        }
    }
}
