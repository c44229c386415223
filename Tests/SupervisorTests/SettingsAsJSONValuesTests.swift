import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Tenant settings written as JSON numbers and booleans")
struct SettingsAsJSONValuesTests {
    @Test("`tenantsync serve` accepts numbers and booleans in settings, in its file and in PUT /api/tenants/{id}, and the connector gets their text")
    func numbersAndBooleans() async throws {
        let site = DemoSite(name: "hotel-num", accommodations: 3, bookings: 25)
        let cancelledBookings = DemoSiteDataset(site: site).bookings.filter { $0.status == "cancelled" }.count
        try #require(cancelledBookings > 0, "the demo data set should hold cancelled bookings for exclude_cancelled to drop")
        // Before: the file did not load, and the supervisor exited at start.
        try await withSupervisorStack(sites: [site], as: .process, editFile: { file in
            file["tenants"][0]["settings"]["per_page"] = .int(10)
            file["tenants"][0]["settings"]["concurrency"] = .int(1)
            file["tenants"][0]["settings"]["exclude_cancelled"] = .bool(true)
        }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            _ = try await api.readyPID("hotel-num")

            let done = try await api.request("POST", "/api/tenants/hotel-num/sync?background=false")
            #expect(done.status == 200)
            let finished = try done.decode(SyncFinished.self)
            #expect(finished.status == .succeeded)
            let runID = finished.runID
            // per_page 10 reached the connector: 25 bookings come in 3 pages.
            let events = ServerSentEvent.parse(try await api.request("GET", "/api/runs/\(runID)/events").response.bodyText)
            let reservationPages = events.filter { $0.name == "progress" && $0.data["stream"] as? String == "reservations" }
                .compactMap { $0.data["pages"] as? Int }
            #expect(reservationPages.max() == 3)
            // exclude_cancelled true reached it too.
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE status = 'cancelled'") == 0)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations") > 0)

            // PUT with a number: its text reaches the connector, which checks it before anything is stored
            // (per_page 500 is out of its range): 422 naming the setting, and the worker keeps running.
            let file = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: stack.serve.configPath)))
            var tenant = file["tenants"][0]
            let runningPID = try await api.readyPID("hotel-num")
            tenant["settings"]["per_page"] = .int(500)
            let put = try await api.request("PUT", "/api/tenants/hotel-num", json: tenant.text)
            #expect(put.status == 422)
            let error = put.json["error"] as? [String: Any]
            #expect(error?["code"] as? String == "invalid_settings")
            #expect(error?["field"] as? String == "settings.per_page")
            #expect((error?["message"] as? String)?.contains("per_page must be between 1 and 100") == true)
            #expect(try await api.tenants()["hotel-num"]?.pid == runningPID)

            tenant["settings"]["per_page"] = .double(5)
            tenant["settings"]["exclude_cancelled"] = .bool(false)
            let fixed = try await api.request("PUT", "/api/tenants/hotel-num", json: tenant.text)
            #expect(fixed.status == 200)
            #expect(try fixed.decode(ReloadSummary.self).changed == ["hotel-num"])
            _ = try await api.waitForTenant("hotel-num", "replaced") { $0.state == .ready && $0.pid.map { $0 != runningPID } == true }

            // A value that is neither text, number nor boolean is refused with the setting's name.
            tenant["settings"]["per_page"] = .array([.int(5)])
            let refused = try await api.request("PUT", "/api/tenants/hotel-num", json: tenant.text)
            #expect(refused.status == 400)
            #expect(((refused.json["error"] as? [String: Any])?["message"] as? String)?.contains("settings.per_page") == true)
        }
    }
}
