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
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    let configuration = SupervisionHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                    let faults = SupervisionHarness.fault("exit-at-start", tenant: "loop-a", once: false, directory: directory)
                    try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                        let calmPID = try await api.readyPID("calm-b")
                        let errored = try await api.waitForTenant("loop-a", "errored") { $0["state"] as? String == "errored" }
                        // Six crashes within the window: the first start plus five restarts.
                        #expect(errored["restarts"] as? Int == 5)
                        #expect((errored["state_cause"] as? String)?.contains("6 crashes") == true)
                        #expect(errored["pid"] == nil)
                        let calm = try #require(try await api.tenants()["calm-b"])
                        #expect(calm["pid"] as? Int == Int(calmPID))
                        #expect(calm["restarts"] as? Int == 0)

                        let started = try await api.request("POST", "/api/tenants/loop-a/start")
                        #expect(started.status == 200)
                        #expect(((started.json["tenant"] as? [String: Any])?["state"] as? String) != "errored")
                        _ = try await api.waitForTenant("loop-a", "errored again after more restarts") {
                            $0["state"] as? String == "errored" && ($0["restarts"] as? Int ?? 0) > 5
                        }
                    }
                }
            }
        }
    }

    @Test("the permanent-failure exit code is not restarted")
    func permanentFailureNotRestarted() async throws {
        let sites = [DemoSite(name: "perm-a", accommodations: 2, bookings: 2)]
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    let configuration = SupervisionHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                    let faults = SupervisionHarness.fault("exit-permanent", tenant: "perm-a", once: false, directory: directory)
                    try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                        let errored = try await api.waitForTenant("perm-a", "errored") { $0["state"] as? String == "errored" }
                        #expect(errored["restarts"] as? Int == 0)
                        #expect((errored["state_cause"] as? String)?.contains("permanent failure") == true)
                        #expect(errored["last_exit"] as? String == "exited with status 78")
                        let sync = try await api.request("POST", "/api/tenants/perm-a/sync")
                        if let runID = sync.json["run_id"] as? String {
                            let run = try await api.waitForRun(runID)
                            #expect(run["status"] as? String == "failed")
                        }
                        #expect(try await api.tenants()["perm-a"]?["restarts"] as? Int == 0)
                    }
                }
            }
        }
    }

    @Test("a worker killed mid-sync is restarted and its tenant's part retried; other tenants are untouched")
    func crashMidSyncRetried() async throws {
        let sites = [DemoSite(name: "crash-a", accommodations: 5, bookings: 250), DemoSite(name: "calm-b", accommodations: 5, bookings: 250)]
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    let configuration = SupervisionHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                    let faults = SupervisionHarness.fault("crash-on-sync", tenant: "crash-a", once: true, directory: directory)
                    try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                        let crashPID = try await api.readyPID("crash-a")
                        let calmPID = try await api.readyPID("calm-b")
                        let accepted = try await api.request("POST", "/api/sync")
                        let runID = try #require(accepted.json["run_id"] as? String)
                        let run = try await api.waitForRun(runID, timeout: .seconds(90))
                        #expect(run["status"] as? String == "succeeded")
                        for tenant in run["tenants"] as? [[String: Any]] ?? [] {
                            #expect(tenant["status"] as? String == "succeeded", "\(tenant["tenant_id"] ?? "?"): \(tenant["error"] ?? "")")
                        }
                        let statuses = try await api.tenants()
                        let crash = try #require(statuses["crash-a"])
                        #expect(crash["restarts"] as? Int == 1)
                        #expect(crash["pid"] as? Int != Int(crashPID))
                        #expect((crash["last_error"] as? String)?.contains("killed by signal 9 during a sync") == true)
                        #expect((crash["last_sync"] as? [String: Any])?["status"] as? String == "succeeded")
                        let calm = try #require(statuses["calm-b"])
                        #expect(calm["pid"] as? Int == Int(calmPID))
                        #expect(calm["restarts"] as? Int == 0)
                        #expect(!processExists(crashPID))
                        #expect(try TestDatabase.scalar(url, "SELECT count(DISTINCT tenant_id) FROM reservations") == 2)
                    }
                }
            }
        }
    }

    @Test("with retries off, a crash mid-sync fails that tenant with the cause")
    func crashMidSyncNotRetried() async throws {
        let sites = [DemoSite(name: "crash-n", accommodations: 5, bookings: 250)]
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    let configuration = SupervisionHarness.configuration(
                        sites: sites, endpoint: endpoint, databaseURL: url, supervision: SupervisionSettings(syncRetries: 0)
                    )
                    let faults = SupervisionHarness.fault("crash-on-sync", tenant: "crash-n", once: true, directory: directory)
                    try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                        _ = try await api.readyPID("crash-n")
                        let accepted = try await api.request("POST", "/api/tenants/crash-n/sync")
                        let run = try await api.waitForRun(try #require(accepted.json["run_id"] as? String))
                        #expect(run["status"] as? String == "failed")
                        let tenant = (run["tenants"] as? [[String: Any]])?.first
                        #expect((tenant?["error"] as? String)?.contains("killed by signal 9 during the run") == true)
                        // The worker itself comes back.
                        _ = try await api.readyPID("crash-n")
                    }
                }
            }
        }
    }
}
