import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("A tenant syncing for one run, asked by another")
struct BusyTenantTests {
    /// Page 3 of reservations held for 3 s, which keeps the first sync busy while the other requests arrive.
    static let heldFromPage3 = DemoUpstreamFaults.holding(for: .seconds(3))

    @Test("a sync-all arriving during a sync waits for it to end, then runs its own: with other options, or with the same")
    func otherOptionsWaitSameOptionsJoin() async throws {
        let site = DemoSite(name: "hotel-wait", accommodations: 3, bookings: 25)
        try await withSupervisorStack(sites: [site], upstreamFaults: Self.heldFromPage3, configure: { configuration, _ in
            configuration.fetchOnePageAtATime()
            // Before the fix, the waiting request failed once this ran out ("did not become ready").
            configuration.supervision = SupervisionSettings(readyTimeout: 1)
        }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            _ = try await api.readyPID("hotel-wait")
            let first = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/hotel-wait/sync").runID
            _ = try await api.waitForTenant("hotel-wait", "syncing run \(first)") {
                $0.state == .syncing && $0.currentRunID == first
            }
            let full = try await api.decode(SyncAccepted.self, "POST", "/api/sync?full=true").runID
            let same = try await api.decode(SyncAccepted.self, "POST", "/api/sync").runID
            #expect(Set([first, full, same]).count == 3)
            // While its tenant waits for the sync in hand, that run has fetched nothing: the next
            // sync-all with the same options joins it rather than storing a run of its own.
            let again = try await api.decode(SyncAccepted.self, "POST", "/api/sync")
            #expect(again.joined)
            #expect(again.runID == same)

            let firstRun = try await api.waitForRun(first)
            let sameRun = try await api.waitForRun(same)
            let fullRun = try await api.waitForRun(full)
            for (name, run) in [("first", firstRun), ("same options", sameRun), ("full", fullRun)] {
                let tenant = try #require(run.tenants.first)
                #expect(run.status == .succeeded, "\(name): \(tenant.error ?? "")")
            }

            // The request with the same options did not share the first sync, which was already fetching
            // when it came (a change it is about could be behind that sync's pages): it synced after it,
            // and found every line stored (the first's outcome would say it created them all).
            let firstTenant = try #require(firstRun.tenants.first)
            let sameTenant = try #require(sameRun.tenants.first)
            let lines = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
            #expect(firstTenant.stream("reservations")?.counts.created == lines)
            let sameReservations = try #require(sameTenant.stream("reservations")?.counts)
            #expect(lines > 0)
            #expect(sameReservations.created == 0)

            // The full sync ran by itself after the first: it read everything again and found
            // every line already stored.
            let fullTenant = try #require(fullRun.tenants.first)
            let fullReservations = try #require(fullTenant.stream("reservations")?.counts)
            #expect(fullReservations.fetched == firstTenant.stream("reservations")?.counts.fetched)
            #expect(fullReservations.created == 0)
            #expect(fullReservations.unchanged + fullReservations.updated == lines)
            #expect(fullRun.options?.full == true)

            let log = try await api.request("GET", "/api/tenants/hotel-wait/logs?lines=500&grep=sync%20request").response.bodyText
            #expect(log.contains("waits for the sync in hand to end: its options differ"))
            #expect(log.contains("waits for the sync in hand to end: it started before this request"))
            #expect(!log.contains("joins the run in progress"))
        }
    }

    @Test("a tenant request with other options is a run of its own that waits; cancelled while it waits, it ends at once and the sync in hand goes on")
    func waitingRequestCancelled() async throws {
        let site = DemoSite(name: "hotel-wait-cancel", accommodations: 3, bookings: 25)
        try await withSupervisorStack(sites: [site], upstreamFaults: Self.heldFromPage3, configure: { configuration, _ in configuration.fetchOnePageAtATime() }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            _ = try await api.readyPID("hotel-wait-cancel")
            let first = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/hotel-wait-cancel/sync").runID
            _ = try await api.waitForTenant("hotel-wait-cancel", "syncing run \(first)") {
                $0.state == .syncing && $0.currentRunID == first
            }
            let other = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/hotel-wait-cancel/sync?full=true")
            #expect(other.joined == false)
            let waiting = other.runID
            #expect(waiting != first)
            // Once the waiting run's tenant row is claimed, the request is with the worker controller.
            _ = try await eventually("the waiting run's tenant row claimed") {
                try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_run_tenants WHERE run_id = $1 AND status = 'running'", [.text(waiting)]) == 1 ? true : nil
            }
            #expect(try await api.request("POST", "/api/runs/\(waiting)/cancel").status == 202)
            let cancelled = try await api.waitForRun(waiting, timeout: .seconds(10))
            #expect(cancelled.status == .cancelled)
            let tenant = try #require(cancelled.tenants.first)
            #expect(tenant.status == .cancelled)
            #expect(tenant.error?.contains("cancelled by request") == true)
            // The sync in hand was not touched, and is still going.
            #expect(try await api.decode(RunSnapshot.self, "GET", "/api/runs/\(first)").status == .running)
            let firstRun = try await api.waitForRun(first)
            #expect(firstRun.status == .succeeded)
            #expect(try await api.request("POST", "/api/runs/\(waiting)/cancel").status == 409)
        }
    }
}
