import DemoUpstreamKit
import Foundation
import Support
import Testing
import TestSupport

@Suite("CLI: tenantsync sync sends the API key and waits for the end")
struct SyncCommandTests {
    /// Runs `tenantsync` with `arguments` and `environment` on a thread of its own; returns the exit status and stdout+stderr.
    static func tenantsync(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, output: String) {
        let path = try Binaries.path(of: "tenantsync")
        return try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            var env = ProcessInfo.processInfo.environment
            env.removeValue(forKey: "TENANTSYNC_API_KEY")
            process.environment = env.merging(environment) { _, new in new }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    @Test("--wait with TENANTSYNC_API_KEY ends with the run's status; without a key the API's 401 message is shown")
    func syncWait() async throws {
        let sites = [DemoSite(name: "hotel-cli", accommodations: 3, bookings: 20)]
        try await withSupervisorStack(sites: sites) { stack in
            let ok = try await Self.tenantsync(
                ["sync", "hotel-cli", "--wait", "--url", stack.api.baseURL], environment: ["TENANTSYNC_API_KEY": APIClient.defaultAPIKey]
            )
            #expect(ok.status == 0, "\(ok.output)")
            #expect(ok.output.contains("succeeded"))
            #expect(!ok.output.contains(APIClient.defaultAPIKey))

            let denied = try await Self.tenantsync(["sync", "--all", "--url", stack.api.baseURL], environment: [:])
            #expect(denied.status != 0)
            #expect(denied.output.contains("missing X-API-KEY"))
        }
    }
}
