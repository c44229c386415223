import DemoUpstreamKit
import Foundation
import IPC
import Support
import Testing
import TestSupport

@Suite("The reservation filters' log line, as the worker sends it")
struct ReservationFilterLogTests {
    @Test("with every filter on, the worker logs \"mapped N reservations, excluded N past/future, N cancelled, N blocks\" with the right numbers")
    func filterSummaryLine() async throws {
        let site = DemoSite(name: "hotel-filter-log", accommodations: 12, bookings: 400)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            // The reference: everything, unfiltered, counted by the rule that would leave each line out
            // (in the filter's order: cancelled, then blocks, then past, then too far ahead).
            let expected = try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
                let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                #expect(result.status == .succeeded, "\(result.error ?? "")")
                let today = "(now() AT TIME ZONE 'UTC')::date"
                let total = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
                let cancelled = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE status = 'cancelled'")
                let blocks = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE status <> 'cancelled' AND is_block")
                let window = try await TestDatabase.scalar(url, """
                    SELECT count(*) FROM reservations WHERE status <> 'cancelled' AND NOT is_block
                    AND (check_out_date < \(today) OR check_in_date > \(today) + 30)
                    """)
                #expect(cancelled > 0 && blocks > 0 && window > 0)
                return "mapped \(total - cancelled - blocks - window) reservations, excluded \(window) past/future, \(cancelled) cancelled, \(blocks) blocks"
            }

            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: [
                    "exclude_cancelled": "true", "exclude_blocks": "true", "exclude_past": "true", "future_days": "30",
                ])
                let worker = try WorkerHarness()
                worker.send(.hello(Hello(tenantID: site.name, tenant: spec)))
                _ = try await worker.next { if case .ready = $0 { true } else { false } }
                worker.send(.sync(SyncCommand(runID: "run-filtered")))
                var logs: [LogRecord] = []
                while true {
                    let message = try await worker.next { message in
                        switch message {
                        case .log, .result: true
                        default: false
                        }
                    }
                    if case .log(let record) = message { logs.append(record) }
                    if case .result(let result) = message {
                        #expect(result.status == .succeeded, "\(result.error ?? "")")
                        break
                    }
                }
                let summaries = logs.filter { $0.message.hasPrefix("mapped ") }
                #expect(summaries.map(\.message) == [expected])
                #expect(summaries.first?.stream == "reservations")
                #expect(summaries.first?.level == "info")
                #expect(summaries.first?.runID == "run-filtered")
                worker.closeInput()
                _ = try await worker.waitForExit()
            }
        }
    }
}
