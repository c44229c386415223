import DemoUpstreamKit
import Foundation
import Testing
import TestSupport
@testable import SupervisorCore

@Suite("Supervision: hung, silent and bloated workers are replaced")
struct LivenessTests {
    @Test("a worker that heartbeats but makes no progress during a sync is killed, replaced, and the sync retried")
    func stuckWorkerReplaced() async throws {
        let sites = [DemoSite(name: "hang-a", accommodations: 3, bookings: 20)]
        try await withSupervisorStack(
            sites: sites, supervision: SupervisionSettings(stuckTimeout: 4), fault: InjectedFault("hang-on-sync", tenant: "hang-a", once: true)
        ) { stack in
            let api = stack.api
            let hungPID = try await api.readyPID("hang-a")
            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/hang-a/sync").runID
            let run = try await api.waitForRun(runID)
            #expect(run.status == .succeeded)
            let status = try #require(try await api.tenants()["hang-a"])
            #expect(status.restarts == 1)
            #expect(status.lastError?.contains("stuck: no progress") == true)
            #expect(status.pid != hungPID)
            #expect(!processExists(hungPID))
        }
    }

    @Test("a worker silent past the heartbeat timeout is killed and restarted")
    func silentWorkerReplaced() async throws {
        let sites = [DemoSite(name: "mute-a", accommodations: 2, bookings: 2)]
        try await withSupervisorStack(
            sites: sites, supervision: SupervisionSettings(heartbeatTimeout: 3), fault: InjectedFault("no-heartbeat", tenant: "mute-a", once: true)
        ) { stack in
            let api = stack.api
            let silentPID = try await api.readyPID("mute-a")
            let replaced = try await api.waitForTenant("mute-a", "replaced") { $0.state == .ready && $0.restarts >= 1 }
            #expect(replaced.lastError?.contains("no heartbeat") == true)
            #expect(replaced.pid != silentPID)
            #expect(!processExists(silentPID))
            // The replacement heartbeats, so it outlives the timeout.
            _ = try await api.waitForTenant("mute-a", "up past the timeout") { ($0.uptimeSeconds ?? 0) > 4 }
        }
    }

    @Test("a worker over its memory limit is restarted")
    func memoryLimit() async throws {
        let sites = [DemoSite(name: "leak-a", accommodations: 2, bookings: 2)]
        try await withSupervisorStack(
            sites: sites, supervision: SupervisionSettings(), fault: InjectedFault("leak-memory", tenant: "leak-a", once: true),
            configure: { configuration, _ in configuration.tenants[0].supervision = SupervisionSettings(memoryLimitMegabytes: 96) }
        ) { stack in
            let replaced = try await stack.api.waitForTenant("leak-a", "replaced") { $0.state == .ready && $0.restarts == 1 }
            #expect(replaced.lastError?.contains("over the limit of 96 MiB") == true)
            #expect((replaced.rssBytes ?? 0) < 96 * 1_048_576)
        }
    }

    @Test("a second sync request for a busy tenant joins the run in progress instead of syncing twice")
    func busyTenantJoins() async throws {
        let sites = [DemoSite(name: "busy-a", accommodations: 3, bookings: 20)]
        // The first worker sits on its sync until it is found stuck: the tenant stays busy.
        try await withSupervisorStack(
            sites: sites, supervision: SupervisionSettings(stuckTimeout: 4), fault: InjectedFault("hang-on-sync", tenant: "busy-a", once: true)
        ) { stack in
            let api = stack.api
            _ = try await api.readyPID("busy-a")
            let first = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/busy-a/sync").runID
            _ = try await api.waitForTenant("busy-a", "syncing") { $0.state == .syncing }
            let second = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/busy-a/sync").runID
            let firstRun = try await api.waitForRun(first)
            let secondRun = try await api.waitForRun(second)
            #expect(firstRun.status == .succeeded)
            #expect(secondRun.status == .succeeded)
            // Only one sync reached a worker: the tenant's last sync is the first run's.
            let status = try #require(try await api.tenants()["busy-a"])
            #expect(status.lastSync?.runID == first)
            #expect(status.restarts == 1)
        }
    }
}
