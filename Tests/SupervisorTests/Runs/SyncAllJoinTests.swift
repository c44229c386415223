import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("A sync-all asked while another waits to start")
struct SyncAllJoinTests {
    /// Page 3 of reservations held for 2 s: the tenant-scoped sync holds the only slot meanwhile.
    static let heldFromPage3 = DemoUpstreamFaults.holding(for: .seconds(2))

    @Test("a sync-all joins a queued one with the same options; other options, a cancelled run or a started one are not joined")
    func queuedSyncAllIsJoined() async throws {
        let site = DemoSite(name: "hotel-queue", accommodations: 3, bookings: 25)
        try await withSupervisorStack(sites: [site], upstreamFaults: Self.heldFromPage3, configure: { configuration, _ in
            configuration.fetchOnePageAtATime()
            configuration.concurrency = 1
        }) { stack in
            let api = stack.api
            _ = try await api.readyPID("hotel-queue")
            let first = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/hotel-queue/sync").runID
            _ = try await api.waitForTenant("hotel-queue", "syncing run \(first)") {
                $0.state == .syncing && $0.currentRunID == first
            }
            // The only slot is taken: these sync-alls wait for it.
            let queued = try await api.decode(SyncAccepted.self, "POST", "/api/sync")
            #expect(queued.joined == false)
            #expect(queued.runID != first)
            let same = try await api.decode(SyncAccepted.self, "POST", "/api/sync")
            #expect(same.runID == queued.runID)
            #expect(same.joined == true)
            #expect(same.message.contains("has not started"))
            let full = try await api.decode(SyncAccepted.self, "POST", "/api/sync?full=true")
            #expect(full.joined == false)
            #expect(Set([first, queued.runID, full.runID]).count == 3)

            // A cancelled run is not joined: the next sync-all is a run of its own.
            #expect(try await api.request("POST", "/api/runs/\(full.runID)/cancel").status == 202)
            let afterCancel = try await api.decode(SyncAccepted.self, "POST", "/api/sync?full=true")
            #expect(afterCancel.joined == false)
            #expect(afterCancel.runID != full.runID)

            #expect(try await api.waitForRun(first).status == .succeeded)
            let queuedRun = try await api.waitForRun(queued.runID)
            #expect(queuedRun.status == .succeeded)
            #expect(try await api.waitForRun(full.runID).status == .cancelled)
            #expect(try await api.waitForRun(afterCancel.runID).status == .succeeded)

            // Its tenant started, so a run that has ended (or is syncing) is never joined.
            let later = try await api.decode(SyncAccepted.self, "POST", "/api/sync")
            #expect(later.joined == false)
            #expect(later.runID != queued.runID)
            #expect(try await api.waitForRun(later.runID).status == .succeeded)
            let runs = try await TestDatabase.scalar(stack.databaseURL, "SELECT count(*) FROM sync_runs")
            #expect(runs == 5)
        }
    }
}
