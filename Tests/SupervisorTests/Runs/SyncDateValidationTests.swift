import DemoUpstreamKit
import Foundation
import Testing
import TestSupport
@testable import SupervisorCore

@Suite("Sync requests: start_date and end_date are real dates, in order")
struct SyncDateValidationTests {
    @Test("YYYY-MM-DD naming a day that exists is a date; anything else is not")
    func calendarDates() {
        for good in ["2025-01-01", "2024-02-29", "2000-02-29", "2025-12-31", "0001-01-01"] {
            #expect(SyncRequestParser.isCalendarDate(good), "\(good)")
        }
        for bad in ["2025-02-29", "1900-02-29", "2025-02-30", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00",
                    "2025-1-05", "20250105", "2025/01/05", "2025-01-05T00:00:00Z", " 2025-01-05", "yesterday", "", "0000-01-01",
                    "２０２５-01-05", "+025-01-05"] {
            #expect(!SyncRequestParser.isCalendarDate(bad), "\(bad)")
        }
    }

    @Test("POST /api/sync and POST /api/tenants/{id}/sync answer 400 invalid_date or invalid_date_range, and start nothing")
    func rejectedOverHTTP() async throws {
        let sites = [DemoSite(name: "hotel-dates", accommodations: 2, bookings: 3)]
        try await withSupervisorStack(sites: sites) { stack in
            let api = stack.api
            let cases: [(query: String, code: String, names: String)] = [
                ("start_date=yesterday", "invalid_date", "start_date"),
                ("start_date=2025-1-05", "invalid_date", "start_date"),
                ("end_date=2025-02-30", "invalid_date", "end_date"),
                ("start_date=2025-01-01&end_date=2025-13-01", "invalid_date", "end_date"),
                ("end_date=20251231", "invalid_date", "end_date"),
                ("start_date=2025-10-16&end_date=2025-09-01", "invalid_date_range", "end_date 2025-09-01 is before start_date 2025-10-16"),
            ]
            for path in ["/api/sync", "/api/tenants/hotel-dates/sync"] {
                for (query, code, names) in cases {
                    let answer = try await api.request("POST", "\(path)?\(query)")
                    #expect(answer.status == 400, "\(path)?\(query)")
                    #expect(answer.headers.header("Content-Type")?.hasPrefix("application/json") == true)
                    let error = try #require(answer.json["error"] as? [String: Any], "\(path)?\(query)")
                    #expect(error["code"] as? String == code, "\(path)?\(query)")
                    #expect((error["message"] as? String)?.contains(names) == true, "\(path)?\(query): \(error["message"] ?? "")")
                }
            }
            #expect(try await api.decode(RunList.self, "GET", "/api/runs").runs.isEmpty)

            // One day (start = end) is a valid range and starts a run.
            let accepted = try await api.request("POST", "/api/tenants/hotel-dates/sync?start_date=2024-02-29&end_date=2024-02-29")
            #expect(accepted.status == 202)
            let run = try await api.waitForRun(try accepted.decode(SyncAccepted.self).runID)
            #expect(run.options?.startDate == "2024-02-29")
            #expect(run.options?.endDate == "2024-02-29")
        }
    }
}
