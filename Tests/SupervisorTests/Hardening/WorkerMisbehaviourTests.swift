import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Hardening: workers that write garbage, speak another protocol version, or crash after an operator's start")
struct WorkerMisbehaviourTests {
    /// The tenant's log lines whose message contains `grep`, oldest first.
    static func logMessages(_ api: APIClient, tenant: String, grep: String) async throws -> [String] {
        let query = grep.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? grep
        return try await api.decode(LogTail.self, "GET", "/api/tenants/\(tenant)/logs?lines=1000&grep=\(query)").lines.map(\.message)
    }

    @Test("bad lines go to the tenant's log with their reason, at most one line a second, counting the lines left out")
    func badLinesReachTheTenantLog() async throws {
        let site = DemoSite(name: "garbage-a", accommodations: 2, bookings: 2)
        let total = 400
        let fault = InjectedFault("bad-lines", tenant: site.name, once: true, settings: ["TENANTSYNC_WORKER_BAD_LINES": "\(total)"])
        try await withSupervisorStack(sites: [site], supervision: SupervisionSettings(), fault: fault) { stack in
            let api = stack.api
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
            let tenant = try #require(try await api.tenants()[site.name])
            #expect(tenant.state == .ready)
            #expect(tenant.restarts == 0)
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
        let fault = InjectedFault("wrong-protocol", tenant: site.name, once: false)
        try await withSupervisorStack(sites: [site], supervision: SupervisionSettings(), fault: fault) { stack in
            let api = stack.api
            let errored = try await api.waitForTenant(site.name, "errored") { $0.state == .errored }
            let cause = errored.stateCause
            #expect(cause.hasPrefix("protocol mismatch: "), "\(cause)")
            #expect(cause.contains("speaks protocol 99"))
            #expect(errored.pid == nil)
            #expect(errored.restarts == 0)
            // A sync does not reach it.
            let runID = try await api.decode(SyncAccepted.self, "POST", "/api/tenants/\(site.name)/sync").runID
            let run = try await api.waitForRun(runID)
            #expect(run.status == .failed)
            #expect(try await api.tenants()[site.name]?.restarts == 0)
        }
    }

    @Test("stop then start of an errored tenant gives it a fresh crash history: its next crash backs off")
    func stopStartClearsCrashHistory() async throws {
        let site = DemoSite(name: "history-a", accommodations: 2, bookings: 2)
        let settings = SupervisionSettings(initialBackoff: 0.05, maximumBackoff: 0.05, maximumCrashes: 1, crashWindow: 600)
        let fault = InjectedFault("exit-at-start", tenant: site.name, once: false)
        try await withSupervisorStack(sites: [site], supervision: settings, fault: fault) { stack in
            let api = stack.api
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
