import DemoUpstreamKit
import Foundation
import Testing
import TestSupport
@testable import SupervisorCore

@Suite("Supervision: restarts of real worker processes")
struct RestartPolicyTests {
    @Test("a crash loop backs off, ends errored without touching other tenants, and start clears it")
    func crashLoopEndsErrored() async throws {
        let sites = ["loop-a", "calm-b"].map { DemoSite(name: $0, accommodations: 2, bookings: 2) }
        try await withSupervisorStack(
            sites: sites, supervision: SupervisionSettings(), fault: InjectedFault("exit-at-start", tenant: "loop-a", once: false)
        ) { stack in
            let api = stack.api
            let calmPID = try await api.readyPID("calm-b")
            let errored = try await api.waitForTenant("loop-a", "errored") { $0.state == .errored }
            // Six crashes within the window: the first start plus five restarts.
            #expect(errored.restarts == 5)
            #expect(errored.stateCause.contains("6 crashes"))
            #expect(errored.pid == nil)
            let calm = try #require(try await api.tenants()["calm-b"])
            #expect(calm.pid == calmPID)
            #expect(calm.restarts == 0)

            let started = try await api.request("POST", "/api/tenants/loop-a/start")
            #expect(started.status == 200)
            #expect(try started.decode(ControlDone.self).tenant.state != .errored)
            _ = try await api.waitForTenant("loop-a", "errored again after more restarts") {
                $0.state == .errored && $0.restarts > 5
            }
        }
    }

    @Test("the permanent-failure exit code is not restarted")
    func permanentFailureNotRestarted() async throws {
        let sites = [DemoSite(name: "perm-a", accommodations: 2, bookings: 2)]
        try await withSupervisorStack(
            sites: sites, supervision: SupervisionSettings(), fault: InjectedFault("exit-permanent", tenant: "perm-a", once: false)
        ) { stack in
            let api = stack.api
            let errored = try await api.waitForTenant("perm-a", "errored") { $0.state == .errored }
            #expect(errored.restarts == 0)
            #expect(errored.stateCause.contains("permanent failure"))
            #expect(errored.lastExit == "exited with status 78")
            let sync = try await api.request("POST", "/api/tenants/perm-a/sync")
            if let runID = try? sync.decode(SyncAccepted.self).runID {
                let run = try await api.waitForRun(runID)
                #expect(run.status == .failed)
            }
            #expect(try await api.tenants()["perm-a"]?.restarts == 0)
        }
    }

    @Test("a worker killed mid-sync is restarted and its tenant's part retried; other tenants are untouched")
    func crashMidSyncRetried() async throws {
        let sites = [DemoSite(name: "crash-a", accommodations: 5, bookings: 250), DemoSite(name: "calm-b", accommodations: 5, bookings: 250)]
        try await withSupervisorStack(
            sites: sites, supervision: SupervisionSettings(), fault: InjectedFault("crash-on-sync", tenant: "crash-a", once: true)
        ) { stack in
            let api = stack.api
            let crashPID = try await api.readyPID("crash-a")
            let calmPID = try await api.readyPID("calm-b")
            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/sync").runID
            let run = try await api.waitForRun(runID, timeout: .seconds(90))
            #expect(run.status == .succeeded)
            for tenant in run.tenants {
                #expect(tenant.status == .succeeded, "\(tenant.tenantID): \(tenant.error ?? "")")
            }
            let statuses = try await api.tenants()
            let crash = try #require(statuses["crash-a"])
            #expect(crash.restarts == 1)
            #expect(crash.pid != crashPID)
            #expect(crash.lastError?.contains("killed by signal 9 during a sync") == true)
            #expect(crash.lastSync?.status == "succeeded")
            let calm = try #require(statuses["calm-b"])
            #expect(calm.pid == calmPID)
            #expect(calm.restarts == 0)
            #expect(!processExists(crashPID))
            #expect(try await TestDatabase.scalar(stack.databaseURL, "SELECT count(DISTINCT tenant_id) FROM reservations") == 2)
        }
    }

    @Test("with retries off, a crash mid-sync fails that tenant with the cause")
    func crashMidSyncNotRetried() async throws {
        let sites = [DemoSite(name: "crash-n", accommodations: 5, bookings: 250)]
        try await withSupervisorStack(
            sites: sites, supervision: SupervisionSettings(syncRetries: 0), fault: InjectedFault("crash-on-sync", tenant: "crash-n", once: true)
        ) { stack in
            let api = stack.api
            _ = try await api.readyPID("crash-n")
            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/crash-n/sync").runID
            let run = try await api.waitForRun(runID)
            #expect(run.status == .failed)
            #expect(run.tenants.first?.error?.contains("killed by signal 9 during the run") == true)
            // The worker itself comes back.
            _ = try await api.readyPID("crash-n")
        }
    }
}
