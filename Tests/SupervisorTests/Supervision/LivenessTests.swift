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
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    let configuration = SupervisionHarness.configuration(
                        sites: sites, endpoint: endpoint, databaseURL: url, supervision: SupervisionSettings(stuckTimeout: 4)
                    )
                    let faults = SupervisionHarness.fault("hang-on-sync", tenant: "hang-a", once: true, directory: directory)
                    try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                        let hungPID = try await api.readyPID("hang-a")
                        let accepted = try await api.request("POST", "/api/tenants/hang-a/sync")
                        let run = try await api.waitForRun(try #require(accepted.json["run_id"] as? String))
                        #expect(run["status"] as? String == "succeeded")
                        let status = try #require(try await api.tenants()["hang-a"])
                        #expect(status["restarts"] as? Int == 1)
                        #expect((status["last_error"] as? String)?.contains("stuck: no progress") == true)
                        #expect(status["pid"] as? Int != Int(hungPID))
                        #expect(!processExists(hungPID))
                    }
                }
            }
        }
    }

    @Test("a worker silent past the heartbeat timeout is killed and restarted")
    func silentWorkerReplaced() async throws {
        let sites = [DemoSite(name: "mute-a", accommodations: 2, bookings: 2)]
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    let configuration = SupervisionHarness.configuration(
                        sites: sites, endpoint: endpoint, databaseURL: url, supervision: SupervisionSettings(heartbeatTimeout: 3)
                    )
                    let faults = SupervisionHarness.fault("no-heartbeat", tenant: "mute-a", once: true, directory: directory)
                    try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                        let silentPID = try await api.readyPID("mute-a")
                        let replaced = try await api.waitForTenant("mute-a", "replaced") {
                            $0["state"] as? String == "ready" && ($0["restarts"] as? Int ?? 0) >= 1
                        }
                        #expect((replaced["last_error"] as? String)?.contains("no heartbeat") == true)
                        #expect(replaced["pid"] as? Int != Int(silentPID))
                        #expect(!processExists(silentPID))
                        // The replacement heartbeats, so it outlives the timeout.
                        _ = try await api.waitForTenant("mute-a", "up past the timeout") { ($0["uptime_seconds"] as? Double ?? 0) > 4 }
                    }
                }
            }
        }
    }

    @Test("a worker over its memory limit is restarted")
    func memoryLimit() async throws {
        let sites = [DemoSite(name: "leak-a", accommodations: 2, bookings: 2)]
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    var configuration = SupervisionHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                    configuration.tenants[0].supervision = SupervisionSettings(memoryLimitMegabytes: 96)
                    let faults = SupervisionHarness.fault("leak-memory", tenant: "leak-a", once: true, directory: directory)
                    try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                        let replaced = try await api.waitForTenant("leak-a", "replaced") {
                            $0["state"] as? String == "ready" && ($0["restarts"] as? Int) == 1
                        }
                        #expect((replaced["last_error"] as? String)?.contains("over the limit of 96 MiB") == true)
                        #expect((replaced["rss_bytes"] as? Int ?? 0) < 96 * 1_048_576)
                    }
                }
            }
        }
    }

    @Test("a second sync request for a busy tenant joins the run in progress instead of syncing twice")
    func busyTenantJoins() async throws {
        let sites = [DemoSite(name: "busy-a", accommodations: 3, bookings: 20)]
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    let configuration = SupervisionHarness.configuration(
                        sites: sites, endpoint: endpoint, databaseURL: url, supervision: SupervisionSettings(stuckTimeout: 4)
                    )
                    // The first worker sits on its sync until it is found stuck: the tenant stays busy.
                    let faults = SupervisionHarness.fault("hang-on-sync", tenant: "busy-a", once: true, directory: directory)
                    try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                        _ = try await api.readyPID("busy-a")
                        let first = try #require(try await api.request("POST", "/api/tenants/busy-a/sync").json["run_id"] as? String)
                        _ = try await api.waitForTenant("busy-a", "syncing") { $0["state"] as? String == "syncing" }
                        let second = try #require(try await api.request("POST", "/api/tenants/busy-a/sync").json["run_id"] as? String)
                        let firstRun = try await api.waitForRun(first)
                        let secondRun = try await api.waitForRun(second)
                        #expect(firstRun["status"] as? String == "succeeded")
                        #expect(secondRun["status"] as? String == "succeeded")
                        // Only one sync reached a worker: the tenant's last sync is the first run's.
                        let status = try #require(try await api.tenants()["busy-a"])
                        #expect((status["last_sync"] as? [String: Any])?["run_id"] as? String == first)
                        #expect(status["restarts"] as? Int == 1)
                    }
                }
            }
        }
    }
}
