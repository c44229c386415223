import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

/// The sync slots on a real supervisor: a customer's sync is not queued behind a sync-all, and
/// `max_per_host` keeps syncs of one upstream host apart; waiting tenants say why.
@Suite("Sync slots: fair across runs, capped per upstream host")
struct FairSlotsTests {
    @Test("a one-tenant sync asked for during a sync-all runs in the next free slot, and waiting tenants say why")
    func customerSyncIsNotQueuedBehindSyncAll() async throws {
        let sites = (1...5).map { DemoSite(name: "fair-\($0)", accommodations: 3, bookings: 25) }
        // Each sync waits 1 s on its third page: long enough to line requests up behind it.
        try await withSupervisorStack(sites: sites, upstreamFaults: .holding(for: .seconds(1)), configure: { configuration, _ in
            configuration.fetchOnePageAtATime()
            configuration.concurrency = 1
        }) { stack in
            let api = stack.api
            for site in sites { _ = try await api.readyPID(site.name) }
            let syncAll = try await api.decode(SyncAccepted.self, "POST", "/api/sync").runID
            let first = try await eventually("a tenant of the sync-all syncing") { () -> String? in
                try await api.tenants().values.first { $0.currentRunID == syncAll }?.id
            }
            let customer = try #require(sites.map(\.name).last { $0 != first })
            _ = try await api.waitForTenant(customer, "waiting for the one slot") {
                $0.waitingFor == "waiting for a sync slot (1 of 1 in use)"
            }
            let one = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/\(customer)/sync").runID
            #expect(one != syncAll)

            let oneRun = try await api.waitForRun(one)
            #expect(oneRun.status == .succeeded)
            // First in, first out would have run every tenant of the sync-all first.
            let allRun = try await api.decode(RunSnapshot.self, "GET", "/api/runs/\(syncAll)")
            let notStarted = allRun.tenants.filter { $0.startedAt == nil }
            #expect(notStarted.count >= 2, "the sync-all had run \(allRun.tenants.count - notStarted.count) tenants before the customer's")
            #expect(try await api.waitForRun(syncAll).status == .succeeded)
        }
    }

    @Test("max_per_host 1: tenants of one upstream host sync one at a time though slots are free, and the one waiting says so")
    func perHostCap() async throws {
        let sites = (1...2).map { DemoSite(name: "host-cap-\($0)", accommodations: 3, bookings: 25) }
        try await withSupervisorStack(sites: sites, upstreamFaults: .holding(for: .seconds(1)), configure: { configuration, _ in
            configuration.fetchOnePageAtATime()
            configuration.concurrency = 4
            configuration.maxPerHost = 1
        }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            for site in sites { _ = try await api.readyPID(site.name) }
            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/sync").runID
            let waiting = try await eventually("a tenant held back by its host") { () -> TenantStatus? in
                try await api.tenants().values.first { $0.waitingFor != nil }
            }
            #expect(waiting.waitingFor == "waiting for a sync slot: 127.0.0.1 is at max_per_host (1 at once)")
            #expect(try await api.waitForRun(runID).status == .succeeded)
            let overlapping = try await TestDatabase.scalar(url, """
                SELECT count(*) FROM sync_run_tenants a JOIN sync_run_tenants b
                  ON a.run_id = b.run_id AND a.tenant_id < b.tenant_id
                WHERE a.run_id = '\(runID)' AND a.started_at < b.finished_at AND b.started_at < a.finished_at
                """)
            #expect(overlapping == 0)
        }
    }
}
