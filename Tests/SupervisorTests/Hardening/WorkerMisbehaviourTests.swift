import DemoUpstreamKit
import Foundation
import SupervisorCore
import Testing
import TestSupport

@Suite("Hardening: workers that write garbage, speak another protocol version, or crash after an operator's start")
struct WorkerMisbehaviourTests {
    /// The tenant's log lines whose message contains `grep`, oldest first.
    static func logMessages(_ api: APIClient, tenant: String, grep: String) async throws -> [String] {
        let query = grep.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? grep
        let lines = try await api.request("GET", "/api/tenants/\(tenant)/logs?lines=1000&grep=\(query)").json["lines"] as? [[String: Any]] ?? []
        return lines.compactMap { $0["message"] as? String }
    }

    @Test("bad lines go to the tenant's log with their reason, at most one line a second, counting the lines left out")
    func badLinesReachTheTenantLog() async throws {
        let site = DemoSite(name: "garbage-a", accommodations: 2, bookings: 2)
        let total = 400
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    let configuration = SupervisionHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: url)
                    var faults = SupervisionHarness.fault("bad-lines", tenant: site.name, once: false, directory: directory)
                    faults["TENANTSYNC_WORKER_BAD_LINES"] = "\(total)"
                    try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                        let started = ContinuousClock.now
                        _ = try await api.waitForTenant(site.name, "to count every bad line") { $0.badLines == total }
                        let reports = try await eventually("the bad lines to be accounted for in the tenant's log") { () -> [String]? in
                            let reports = try await Self.logMessages(api, tenant: site.name, grep: "bad line from worker")
                            return Self.accounted(reports) == total ? reports : nil
                        }
                        let elapsed = ContinuousClock.now - started
                        // One line at once, then at most one a second: never one line per bad line.
                        #expect(reports.count <= Int(elapsed.components.seconds) + 2, "\(reports.count) lines in \(elapsed)")
                        #expect(reports.contains { $0.contains("malformed") || $0.contains("unknown_type") })
                        #expect(reports.contains { $0.contains("more bad lines not logged since the last one") })
                        // The worker is still served: garbage is not a crash.
                        #expect(try await api.tenants()[site.name]?.state == .ready)
                    }
                }
            }
        }
    }

    /// Bad lines a list of reports stands for: each itself and the ones it says were left out.
    static func accounted(_ reports: [String]) -> Int {
        reports.reduce(0) { sum, report in
            let leftOut = report.firstMatch(of: /; (\d+) more bad lines not logged/).flatMap { Int($0.1) } ?? 0
            return sum + 1 + leftOut
        }
    }

    @Test("a `ready` in another protocol version is refused: the worker is stopped and the tenant errored with the cause")
    func wrongProtocolRefused() async throws {
        let site = DemoSite(name: "protocol-a", accommodations: 2, bookings: 2)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    let configuration = SupervisionHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: url)
                    let faults = SupervisionHarness.fault("wrong-protocol", tenant: site.name, once: false, directory: directory)
                    try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                        let errored = try await api.waitForTenant(site.name, "errored") { $0.state == .errored }
                        let cause = errored.stateCause
                        #expect(cause.hasPrefix("protocol mismatch: "), "\(cause)")
                        #expect(cause.contains("speaks protocol 99"))
                        #expect(errored.pid == nil)
                        #expect(errored.restarts == 0)
                        // A sync does not reach it.
                        let runID = try #require(try await api.request("POST", "/api/tenants/\(site.name)/sync").json["run_id"] as? String)
                        let run = try await api.waitForRun(runID)
                        #expect(run.status == .failed)
                        #expect(try await api.tenants()[site.name]?.restarts == 0)
                    }
                }
            }
        }
    }

    @Test("stop then start of an errored tenant gives it a fresh crash history: its next crash backs off")
    func stopStartClearsCrashHistory() async throws {
        let site = DemoSite(name: "history-a", accommodations: 2, bookings: 2)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    let settings = SupervisionSettings(initialBackoff: 0.05, maximumBackoff: 0.05, maximumCrashes: 1, crashWindow: 600)
                    let configuration = SupervisionHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: url, supervision: settings)
                    let faults = SupervisionHarness.fault("exit-at-start", tenant: site.name, once: false, directory: directory)
                    try await SupervisionHarness.withSupervisor(configuration, workerEnvironment: faults) { api in
                        _ = try await api.waitForTenant(site.name, "errored") { $0.state == .errored }
                        #expect(try await api.request("POST", "/api/tenants/\(site.name)/stop").status == 200)
                        #expect(try await api.request("POST", "/api/tenants/\(site.name)/start").status == 200)
                        // Two crashes after the start are allowed again: it errs once more only after the second.
                        let transitions = try await eventually("errored again") { () -> [String]? in
                            let lines = try await Self.logMessages(api, tenant: site.name, grep: "worker state")
                            guard let start = lines.lastIndex(where: { $0.contains("stopped → starting: started by an operator") }) else { return nil }
                            let after = lines[(start + 1)...]
                            return after.contains { $0.contains("→ errored") } ? Array(after) : nil
                        }
                        let first = try #require(transitions.first)
                        #expect(first.contains("starting → backoff"), "first transition after the start: \(first)")
                    }
                }
            }
        }
    }
}
