import DemoUpstreamKit
import Foundation
import Postgres
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Cancel reaches any live run: one this supervisor owns but has not in memory, and one another supervisor owns", .timeLimit(.minutes(5)))
struct CancelAnyRunTests {
    @Test("a run this supervisor owns but has not in memory (its start stored, the answer lost) ends cancelled with one callback")
    func ownedRunNotInMemory() async throws {
        let site = DemoSite(name: "cancel-own", accommodations: 2, bookings: 5)
        let receiver = try WebhookReceiver()
        try await receiver.withRunning { hookURL in
            try await withSupervisorStack(sites: [site], configure: { configuration, _ in
                configuration.supervisorID = "sup-own"
                configuration.webhooks = WebhookConfiguration(urls: [hookURL], secret: WebhookReceiver.secret, retrySchedule: [0, 0.2, 0.2])
            }) { stack in
                let url = stack.databaseURL
                _ = try await stack.api.readyPID(site.name)
                // A run of this supervisor's id that it never had in memory: one tenant waiting that no
                // supervisor holds, one left running by a supervisor that is gone.
                try await offPool {
                    let connection = try PostgresConnection(url: url)
                    _ = try connection.query("""
                        INSERT INTO sync_runs (id, scope, trigger, status, owner_id, started_at) VALUES ('run_orphaned', 'all', 'api', 'running', 'sup-own', now())
                        """, [])
                    _ = try connection.query("""
                        INSERT INTO sync_run_tenants (run_id, tenant_id, status, runner_id, attempts, started_at) VALUES
                            ('run_orphaned', 'tenant-nobody-holds', 'queued', NULL, 0, NULL),
                            ('run_orphaned', 'tenant-of-a-gone-supervisor', 'running', 'sup-gone', 1, now())
                        """, [])
                }
                let answer = try await stack.api.request("POST", "/api/runs/run_orphaned/cancel")
                #expect(answer.status == 202, "\(answer.response.bodyText)")

                let run = try await stack.api.waitForRun("run_orphaned", timeout: .seconds(10))
                #expect(run.status == .cancelled)
                #expect(run.tenants.map(\.status) == [.cancelled, .cancelled])
                #expect(run.finishedAt != nil)
                let callback = try #require(try await receiver.arrivals.next(timeout: .seconds(30)))
                #expect(callback.json["run_id"] as? String == "run_orphaned")
                #expect(callback.signatureValid)

                // Ended: a second cancel is refused, and no second callback is queued.
                let again = try await stack.api.request("POST", "/api/runs/run_orphaned/cancel")
                #expect(again.status == 409)
                #expect(again.response.bodyText.contains("run_finished"))
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM webhook_deliveries WHERE run_id = 'run_orphaned'") == 1)
            }
        }
        #expect(Set(receiver.received.map(\.id)).count == 1)
    }

    @Test("a run of this supervisor's id with a waiting tenant it holds ends once the queue poller has run that tenant")
    func ownedRunNotInMemoryEndsByItself() async throws {
        let site = DemoSite(name: "stray-own", accommodations: 2, bookings: 5)
        try await withSupervisorStack(sites: [site], configure: { configuration, _ in
            configuration.supervisorID = "sup-stray"
            configuration.webhooks = WebhookConfiguration(urls: ["http://127.0.0.1:9/run-ended"], retrySchedule: [3600])
        }) { stack in
            let url = stack.databaseURL
            _ = try await stack.api.readyPID(site.name)
            try await offPool {
                let connection = try PostgresConnection(url: url)
                _ = try connection.query("""
                    INSERT INTO sync_runs (id, scope, trigger, status, owner_id) VALUES ('run_stray', 'stray-own', 'api', 'queued', 'sup-stray')
                    """, [])
                _ = try connection.query("INSERT INTO sync_run_tenants (run_id, tenant_id, status) VALUES ('run_stray', 'stray-own', 'queued')", [])
            }
            let run = try await stack.api.waitForRun("run_stray", timeout: .seconds(60))
            #expect(run.status == .succeeded)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM webhook_deliveries WHERE run_id = 'run_stray'") == 1)
        }
    }

    @Test("two supervisors: a cancel sent to the one that does not own the run, and one sent to the owner, each stop the tenants syncing on both")
    func cancelAcrossSupervisors() async throws {
        let sites = SeveralSupervisors.siteNames.map { DemoSite(name: $0, accommodations: 3, bookings: 400) }
        let leases = LeaseSettings(duration: 6, renewInterval: 2, pollInterval: 0.5)
        try await withSupervisorStack(sites: sites, latency: .milliseconds(300), as: .process, configure: { configuration, _ in
            SeveralSupervisors.configure(&configuration, id: "sup-a", leases: leases)
            for index in configuration.tenants.indices {
                configuration.tenants[index].settings["per_page"] = "10"
                configuration.tenants[index].settings["concurrency"] = "1"
            }
            configuration.webhooks = WebhookConfiguration(urls: ["http://127.0.0.1:9/run-ended"], retrySchedule: [3600])
        }) { stack in
            let (a, url) = (stack.serve, stack.databaseURL)
            let b = try await stack.startServe { $0.supervisorID = "sup-b" }
            defer { b.cleanUp() }
            _ = try await SeveralSupervisors.waitForSplit(a, b)

            // Each of the two ways: the cancel goes to B (not the owner), then to A (the owner).
            for (runNumber, cancelVia) in [(1, b), (2, a)] {
                let runID = try await a.api.decode(SyncAccepted.self, "POST", "/api/sync").runID
                _ = try await eventually(timeout: .seconds(60), "run \(runNumber) syncing tenants on both supervisors") { () -> Bool? in
                    let running = try await TestDatabase.scalar(url, """
                        SELECT count(DISTINCT runner_id) FROM sync_run_tenants WHERE run_id = $1 AND status = 'running'
                        """, [.text(runID)])
                    return running == 2 ? true : nil
                }
                let answer = try await cancelVia.api.request("POST", "/api/runs/\(runID)/cancel")
                #expect(answer.status == 202, "run \(runNumber): \(answer.response.bodyText)")

                let run = try await a.api.waitForRun(runID, timeout: .seconds(60))
                #expect(run.status == .cancelled, "run \(runNumber)")
                // 400 bookings at 10 a page and 0.3 s a page cannot finish in the time a cancel takes.
                for tenant in run.tenants {
                    #expect(tenant.status == .cancelled, "run \(runNumber): \(tenant.tenantID) \(tenant.status.rawValue) \(tenant.error ?? "")")
                }
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM webhook_deliveries WHERE run_id = $1", [.text(runID)]) == 1)
                // Both supervisors' workers are free again for the next run.
                _ = try await SeveralSupervisors.waitForSplit(a, b)
            }
        }
    }
}
