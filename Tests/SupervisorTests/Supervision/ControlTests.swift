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
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                let configuration = SupervisionHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                try await SupervisionHarness.withSupervisor(configuration) { api in
                    let pid = try await api.readyPID("ctl-a")
                    let otherPID = try await api.readyPID("ctl-b")

                    // Real numbers from /proc, for the real process.
                    let sampled = try await api.waitForTenant("ctl-a", "sampled") { $0["rss_bytes"] is Int && $0["cpu_percent"] != nil }
                    #expect(sampled["pid"] as? Int == Int(pid))
                    let rss = try #require(sampled["rss_bytes"] as? Int)
                    let procRSS = try #require(ProcessSample.read(pid: pid)).residentBytes
                    #expect(rss > 1_000_000)
                    #expect(Double(abs(rss - procRSS)) < Double(procRSS) * 0.5)
                    #expect((sampled["cpu_percent"] as? Double ?? -1) >= 0)
                    #expect((sampled["uptime_seconds"] as? Double ?? -1) >= 0)

                    let runID = try #require(try await api.request("POST", "/api/tenants/ctl-a/sync").json["run_id"] as? String)
                    _ = try await api.waitForRun(runID)
                    let synced = try #require(try await api.tenants()["ctl-a"]?["last_sync"] as? [String: Any])
                    #expect(synced["status"] as? String == "succeeded")
                    #expect(synced["run_id"] as? String == runID)
                    #expect(((synced["counts"] as? [String: Any])?["created"] as? Int ?? 0) > 30)

                    let stopped = try await api.request("POST", "/api/tenants/ctl-a/stop")
                    #expect(stopped.status == 200)
                    #expect((stopped.json["tenant"] as? [String: Any])?["state"] as? String == "stopped")
                    _ = try await eventually("stopped worker gone") { processExists(pid) ? nil : true }

                    let started = try await api.request("POST", "/api/tenants/ctl-a/start")
                    #expect(started.status == 200)
                    let startedPID = try await api.readyPID("ctl-a")
                    #expect(startedPID != pid)

                    let restarted = try await api.request("POST", "/api/tenants/ctl-a/restart")
                    #expect(restarted.status == 200)
                    let restartedPID = try await api.waitForTenant("ctl-a", "restarted") {
                        $0["state"] as? String == "ready" && ($0["pid"] as? Int).map { Int32($0) != startedPID } == true
                    }["pid"] as? Int
                    #expect(!processExists(startedPID))

                    let killed = try await api.request("POST", "/api/tenants/ctl-a/kill")
                    #expect(killed.status == 200)
                    #expect((killed.json["tenant"] as? [String: Any])?["state"] as? String == "stopped")
                    #expect(!processExists(Int32(restartedPID ?? 0)))
                    #expect((try await api.tenants()["ctl-a"]?["last_exit"] as? String) == "killed by signal 9")

                    // The other tenant never noticed.
                    let other = try #require(try await api.tenants()["ctl-b"])
                    #expect(other["pid"] as? Int == Int(otherPID))
                    #expect(other["restarts"] as? Int == 0)

                    #expect(try await api.request("POST", "/api/tenants/nobody/restart").status == 404)
                }
            }
        }
    }

    @Test("tenants are added, changed and removed at runtime without touching the others")
    func runtimeTenants() async throws {
        let sites = ["rt-a", "rt-b"].map { DemoSite(name: $0, accommodations: 2, bookings: 2) }
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                var configuration = SupervisionHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                let added = configuration.tenants.removeLast()
                let body = String(decoding: try JSONEncoder().encode(added), as: UTF8.self)
                let stableTenant = configuration.tenants[0]
                try await SupervisionHarness.withSupervisor(configuration) { api in
                    let stablePID = try await api.readyPID("rt-a")
                    #expect(try await api.tenants()["rt-b"] == nil)

                    let put = try await api.send("PUT", "/api/tenants/rt-b", json: body)
                    #expect(put.status == 200)
                    #expect(put.json["added"] as? [String] == ["rt-b"])
                    let addedPID = try await api.readyPID("rt-b")

                    // Reloading an unchanged list touches nobody; a changed tenant gets a new worker.
                    var changed = added
                    changed.settings["per_page"] = "50"
                    let list = String(decoding: try JSONEncoder().encode(["tenants": [stableTenant, changed]]), as: UTF8.self)
                    let reload = try await api.send("POST", "/api/tenants/reload", json: list)
                    #expect(reload.status == 200)
                    #expect(reload.json["changed"] as? [String] == ["rt-b"])
                    #expect(reload.json["unchanged"] as? [String] == ["rt-a"])
                    let changedPID = try await api.waitForTenant("rt-b", "replaced") {
                        $0["state"] as? String == "ready" && ($0["pid"] as? Int).map { Int32($0) != addedPID } == true
                    }["pid"] as? Int
                    #expect(!processExists(addedPID))

                    let deleted = try await api.request("DELETE", "/api/tenants/rt-b")
                    #expect(deleted.status == 200)
                    #expect(try await api.tenants()["rt-b"] == nil)
                    _ = try await eventually("removed worker gone") { processExists(Int32(changedPID ?? 0)) ? nil : true }

                    let bad = try await api.send("PUT", "/api/tenants/rt-c", json: "{\"id\":\"rt-c\",\"connector\":\"motopress\",\"supervision\":{\"heartbeat_timeout\":-1}}")
                    #expect(bad.status == 400)
                    #expect(((bad.json["error"] as? [String: Any])?["message"] as? String)?.contains("heartbeat_timeout") == true)
                    #expect(try await api.tenants()["rt-c"] == nil)

                    #expect(try await api.tenants()["rt-a"]?["pid"] as? Int == Int(stablePID))
                    #expect(try await api.tenants()["rt-a"]?["restarts"] as? Int == 0)
                }
            }
        }
    }
}
