import DemoUpstreamKit
import Foundation
import Testing
import TestSupport

@Suite("Supervision: no worker outlives the supervisor")
struct OrphanTests {
    /// Runs `tenantsync serve` as a real process with two tenants; `body` gets it, its exits and the worker pids.
    func withServe(_ body: (Process, AsyncInbox<Int32>, [Int32]) async throws -> Void) async throws {
        let sites = ["orphan-x", "orphan-y"].map { DemoSite(name: $0, accommodations: 2, bookings: 2) }
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: sites)) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                try await SupervisionHarness.withDirectory { directory in
                    let configuration = SupervisorTestHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: url)
                    let configPath = directory.appendingPathComponent("tenantsync.json").path
                    try ConfigurationFile.write(configuration, to: configPath)
                    let portFile = directory.appendingPathComponent("port").path

                    let supervisor = Process()
                    supervisor.executableURL = URL(fileURLWithPath: try Binaries.path(of: "tenantsync"))
                    supervisor.arguments = ["serve", "--config", configPath, "--port", "0", "--port-file", portFile]
                    supervisor.environment = ProcessInfo.processInfo.environment.merging(["LOG_LEVEL": "warning"]) { _, new in new }
                    let exits = AsyncInbox<Int32>()
                    supervisor.terminationHandler = { exits.push($0.terminationStatus) }
                    try supervisor.run()
                    defer { if supervisor.isRunning { kill(supervisor.processIdentifier, SIGKILL) } }

                    let port = try await eventually("the supervisor to write its port") {
                        (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
                    }
                    let api = APIClient(port: port)
                    let pids = try await eventually("both workers ready") { () -> [Int32]? in
                        let ready = try await api.tenants().values.filter { $0["state"] as? String == "ready" }.compactMap { $0["pid"] as? Int }
                        return ready.count == 2 ? ready.map(Int32.init) : nil
                    }
                    for pid in pids { #expect(processExists(pid)) }
                    try await body(supervisor, exits, pids)
                }
            }
        }
    }

    @Test("SIGKILL of the supervisor leaves no worker alive after 2 s")
    func sigkillLeavesNoOrphans() async throws {
        try await withServe { supervisor, exits, pids in
            kill(supervisor.processIdentifier, SIGKILL)
            _ = try await exits.next(timeout: .seconds(10))
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
        try await withServe { supervisor, exits, pids in
            kill(supervisor.processIdentifier, SIGINT)
            let status = try await exits.next(timeout: .seconds(30))
            #expect(status == 0)
            for pid in pids {
                _ = try await eventually(timeout: .seconds(5), "worker \(pid) to be gone") { processExists(pid) ? nil : true }
            }
        }
    }
}
