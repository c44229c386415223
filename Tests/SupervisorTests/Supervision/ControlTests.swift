import DemoUpstreamKit
import Foundation
import Testing
import TestSupport
@testable import SupervisorCore

@Suite("Supervision: control verbs, status and runtime tenant changes")
struct ControlTests {
    @Test("stop, start, restart and kill act on one tenant; status shows real pid, RSS and CPU")
    func verbsAndStatus() async throws {
        let sites = ["ctl-a", "ctl-b"].map { DemoSite(name: $0, accommodations: 3, bookings: 30) }
        try await withSupervisorStack(sites: sites, supervision: SupervisionSettings()) { stack in
            let api = stack.api
            let pid = try await api.readyPID("ctl-a")
            let otherPID = try await api.readyPID("ctl-b")

            // Real numbers from /proc, for the real process. A worker's memory still grows after `ready`
            // (a sample taken then and /proc read later differed by 17 MB with both cores busy), so the
            // status must come to agree with /proc read at the same moment, within the sampling interval.
            let sampled = try await api.waitForTenant("ctl-a", "sampled as /proc reads it") { status in
                guard let rss = status.rssBytes, status.cpuPercent != nil,
                      let procRSS = ProcessSample.read(pid: pid)?.residentBytes else { return false }
                return Double(abs(rss - procRSS)) < Double(procRSS) * 0.5
            }
            #expect(sampled.pid == pid)
            #expect(try #require(sampled.rssBytes) > 1_000_000)
            #expect((sampled.cpuPercent ?? -1) >= 0)
            #expect((sampled.uptimeSeconds ?? -1) >= 0)

            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/ctl-a/sync").runID
            _ = try await api.waitForRun(runID)
            let synced = try #require(try await api.tenants()["ctl-a"]?.lastSync)
            #expect(synced.status == "succeeded")
            #expect(synced.runID == runID)
            #expect(synced.counts.created > 30)

            let stopped = try await api.request("POST", "/api/tenants/ctl-a/stop")
            #expect(stopped.status == 200)
            #expect(try stopped.decode(ControlDone.self).tenant.state == .stopped)
            _ = try await eventually("stopped worker gone") { processExists(pid) ? nil : true }

            let started = try await api.request("POST", "/api/tenants/ctl-a/start")
            #expect(started.status == 200)
            let startedPID = try await api.readyPID("ctl-a")
            #expect(startedPID != pid)

            let restarted = try await api.request("POST", "/api/tenants/ctl-a/restart")
            #expect(restarted.status == 200)
            let restartedPID = try await api.waitForTenant("ctl-a", "restarted") {
                $0.state == .ready && $0.pid.map { $0 != startedPID } == true
            }.pid
            #expect(!processExists(startedPID))

            let killed = try await api.request("POST", "/api/tenants/ctl-a/kill")
            #expect(killed.status == 200)
            #expect(try killed.decode(ControlDone.self).tenant.state == .stopped)
            #expect(!processExists(restartedPID ?? 0))
            #expect(try await api.tenants()["ctl-a"]?.lastExit == "killed by signal 9")

            // The other tenant never noticed.
            let other = try #require(try await api.tenants()["ctl-b"])
            #expect(other.pid == otherPID)
            #expect(other.restarts == 0)

            #expect(try await api.request("POST", "/api/tenants/nobody/restart").status == 404)
        }
    }

    @Test("tenants are added, changed and removed at runtime without touching the others")
    func runtimeTenants() async throws {
        let sites = ["rt-a", "rt-b"].map { DemoSite(name: $0, accommodations: 2, bookings: 2) }
        var removed: TenantConfiguration?
        try await withSupervisorStack(sites: sites, supervision: SupervisionSettings(), configure: { configuration, _ in
            removed = configuration.tenants.removeLast()
        }) { stack in
            let api = stack.api
            let added = try #require(removed)
            let body = String(decoding: try JSONEncoder().encode(added), as: UTF8.self)
            let stableTenant = stack.configuration.tenants[0]
            let stablePID = try await api.readyPID("rt-a")
            #expect(try await api.tenants()["rt-b"] == nil)

            let put = try await api.request("PUT", "/api/tenants/rt-b", json: body)
            #expect(put.status == 201)
            #expect(try put.decode(ReloadSummary.self).added == ["rt-b"])
            let addedPID = try await api.readyPID("rt-b")

            // Reloading an unchanged list touches nobody; a changed tenant gets a new worker.
            var changed = added
            changed.settings["per_page"] = "50"
            let list = String(decoding: try JSONEncoder().encode(["tenants": [stableTenant, changed]]), as: UTF8.self)
            let reload = try await api.request("POST", "/api/tenants/reload", json: list)
            #expect(reload.status == 200)
            let summary = try reload.decode(ReloadSummary.self)
            #expect(summary.changed == ["rt-b"])
            #expect(summary.unchanged == ["rt-a"])
            let changedPID = try await api.waitForTenant("rt-b", "replaced") {
                $0.state == .ready && $0.pid.map { $0 != addedPID } == true
            }.pid
            #expect(!processExists(addedPID))

            let deleted = try await api.request("DELETE", "/api/tenants/rt-b")
            #expect(deleted.status == 200)
            #expect(try await api.tenants()["rt-b"] == nil)
            _ = try await eventually("removed worker gone") { processExists(changedPID ?? 0) ? nil : true }

            let bad = try await api.request("PUT", "/api/tenants/rt-c", json: "{\"id\":\"rt-c\",\"connector\":\"motopress\",\"supervision\":{\"heartbeat_timeout\":-1}}")
            #expect(bad.status == 400)
            #expect(((bad.json["error"] as? [String: Any])?["message"] as? String)?.contains("heartbeat_timeout") == true)
            #expect(try await api.tenants()["rt-c"] == nil)

            #expect(try await api.tenants()["rt-a"]?.pid == stablePID)
            #expect(try await api.tenants()["rt-a"]?.restarts == 0)
        }
    }
}
