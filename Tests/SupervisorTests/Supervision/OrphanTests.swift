import DemoUpstreamKit
@testable import SupervisorCore
import Foundation
import Support
import Testing
import TestSupport

@Suite("Supervision: the `tenantsync serve` process — orphans, signals, reload, CLI verbs")
struct OrphanTests {
    /// Runs `tenantsync serve` as a real process with two tenants (and a third site it does not serve
    /// yet); `body` gets the stack and the two workers' pids.
    func withServe(_ body: (SupervisorStack, _ pids: [Int32]) async throws -> Void) async throws {
        let sites = ["orphan-x", "orphan-y", "orphan-z"].map { DemoSite(name: $0, accommodations: 2, bookings: 2) }
        try await withSupervisorStack(sites: sites, as: .process, configure: { configuration, _ in configuration.tenants.removeLast() }) { stack in
            let api = stack.api
            let pids = try await eventually("both workers ready") { () -> [Int32]? in
                let ready = try await api.tenants().values.filter { $0.state == .ready }.compactMap(\.pid)
                return ready.count == 2 ? ready : nil
            }
            for pid in pids { #expect(processExists(pid)) }
            try await body(stack, pids)
        }
    }

    @Test("SIGKILL of the supervisor leaves no worker alive after 2 s")
    func sigkillLeavesNoOrphans() async throws {
        try await withServe { stack, pids in
            kill(stack.serve.process.processIdentifier, SIGKILL)
            _ = try await stack.serve.exits.next(timeout: .seconds(10))
            let killedAt = ContinuousClock.now
            for pid in pids {
                _ = try await eventually(timeout: .seconds(2) - (ContinuousClock.now - killedAt), "worker \(pid) to be gone") {
                    processExists(pid) ? nil : true
                }
            }
        }
    }

    @Test("SIGINT (Ctrl-C) to the supervisor stops every worker gracefully")
    func sigintStopsWorkers() async throws {
        try await withServe { stack, pids in
            kill(stack.serve.process.processIdentifier, SIGINT)
            let status = try await stack.serve.exits.next(timeout: .seconds(30))
            #expect(status == 0)
            for pid in pids {
                _ = try await eventually(timeout: .seconds(5), "worker \(pid) to be gone") { processExists(pid) ? nil : true }
            }
        }
    }

    @Test("SIGHUP re-reads the tenants: a new tenant gets a worker, the others keep theirs")
    func sighupReload() async throws {
        try await withServe { stack, pids in
            let serve = stack.serve
            let sites = stack.configuration.tenants
            var configuration = stack.configuration
            var added = sites[0]
            added.id = "orphan-z"
            added.settings["base_url"] = sites[0].settings["base_url"]?.replacingOccurrences(of: "orphan-x", with: "orphan-z")
            configuration.tenants.append(added)
            try ConfigurationFile.write(configuration, to: serve.configPath)
            kill(serve.process.processIdentifier, SIGHUP)
            _ = try await serve.api.readyPID("orphan-z")
            let statuses = try await serve.api.tenants()
            #expect(Set(statuses.values.compactMap(\.pid)).isSuperset(of: pids))
            #expect(serve.process.isRunning)

            // A broken file changes nothing and does not stop the supervisor; the next good one applies.
            try "{ not json".write(toFile: serve.configPath, atomically: true, encoding: .utf8)
            kill(serve.process.processIdentifier, SIGHUP)
            try ConfigurationFile.write(stack.configuration, to: serve.configPath)
            kill(serve.process.processIdentifier, SIGHUP)
            _ = try await eventually("orphan-z removed") { try await serve.api.tenants()["orphan-z"] == nil ? true : nil }
            #expect(serve.process.isRunning)
            let after = try await serve.api.tenants()
            #expect(Set(after.values.compactMap(\.pid)) == Set(pids))
        }
    }

    @Test("the CLI verbs act on one tenant and status prints pid, CPU and RSS")
    func cliVerbs() async throws {
        try await withServe { stack, _ in
            let api = stack.api
            let stop = try await cli(["stop", "orphan-x"], api: api)
            #expect(stop.status == 0)
            #expect(stop.output.contains("orphan-x: stop done; worker stopped"))
            #expect(try await api.tenants()["orphan-x"]?.state == .stopped)
            let start = try await cli(["start", "orphan-x"], api: api)
            #expect(start.status == 0)
            _ = try await api.readyPID("orphan-x")
            let missing = try await cli(["restart", "nobody"], api: api)
            #expect(missing.status != 0)
            #expect(missing.output.contains("no tenant nobody"))

            let otherPID = try await api.readyPID("orphan-y")
            _ = try await api.waitForTenant("orphan-y", "sampled") { $0.rssBytes != nil && $0.cpuPercent != nil }
            let status = try await cli(["status"], api: api)
            #expect(status.status == 0)
            let line = try #require(status.output.split(separator: "\n").first { $0.hasPrefix("orphan-y") })
            #expect(line.contains(" \(otherPID) "))
            #expect(line.contains("MiB"))
            #expect(line.contains("%"))
            #expect(status.output.contains("RSS"))
        }
    }

    /// Runs `tenantsync <arguments>` against the API and returns its exit status and output.
    func cli(_ arguments: [String], api: APIClient) async throws -> (status: Int32, output: String) {
        try await TenantsyncCLI.run(arguments, against: api)
    }
}
