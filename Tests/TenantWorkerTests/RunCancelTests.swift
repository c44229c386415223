import DemoUpstreamKit
import Foundation
import IPC
import Testing
import TestSupport

@Suite("Cancelling one run in a worker that stays up")
struct RunCancelTests {
    @Test("cancel stops the run after the batch in hand with status cancelled; the worker stays up for the next sync")
    func cancelStopsTheRunOnly() async throws {
        let site = DemoSite(name: "hotel-cancel-ipc", accommodations: 5, bookings: 200)
        // One page at a time, and every list page from the fourth on takes a second: the sync is
        // still mid-stream when the cancel arrives, however slowly this test reacts (17 s of pages).
        var upstream = DemoUpstreamConfiguration(sites: [site])
        upstream.faults.holdFromPage = 4
        upstream.faults.holdDelay = .seconds(1)
        try await DemoUpstreamServer.withRunningServer(configuration: upstream) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: ["per_page": "10", "concurrency": "1"])
                let worker = try WorkerHarness()
                worker.send(.hello(Hello(tenantID: site.name, tenant: spec)))
                _ = try await worker.next { if case .ready = $0 { true } else { false } }

                worker.send(.sync(SyncCommand(runID: "doomed")))
                _ = try await worker.next { message in
                    if case .progress(let update) = message { update.stream == "reservations" && update.page == 3 } else { false }
                }
                // A cancel for another run changes nothing; the one for this run stops it.
                worker.send(.cancel(CancelRun(runID: "some-other-run", reason: "not this one")))
                worker.send(.cancel(CancelRun(runID: "doomed", reason: "cancelled by request")))
                let ended = try await worker.next { if case .result = $0 { true } else { false } }
                guard case .result(let cut) = ended else { return }
                #expect(cut.runID == "doomed")
                #expect(cut.status == .cancelled)
                #expect(cut.error?.contains("cancelled by request") == true, "\(cut.error ?? "")")
                let committed = try await TestDatabase.scalar(url, "SELECT count(DISTINCT booking_id) FROM reservations")
                #expect(committed >= 30 && committed < 200)
                #expect(try await TestDatabase.scalar(url, "SELECT pass_next_page FROM sync_checkpoints WHERE stream = 'reservations'") == committed / 10 + 1)

                // Still up: the next sync starts, resuming after the last committed page.
                worker.send(.sync(SyncCommand(runID: "rest")))
                let resumed = try await worker.next { if case .progress(let update) = $0 { update.stream == "reservations" } else { false } }
                guard case .progress(let first) = resumed else { return }
                #expect(first.runID == "rest" && first.page == committed / 10 + 1)
                worker.closeInput()
                #expect(try await worker.waitForExit() == 0)
            }
        }
    }
}
