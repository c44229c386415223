import Foundation
import Support
import TestSupport

/// `tenantsync tenants …` run as a real process against a supervisor's API.
enum TenantsCLI {
    /// Runs `tenantsync tenants <arguments>` against `api` with `environment` added, and returns its exit
    /// status and its output (stdout and stderr together).
    static func run(_ api: APIClient, _ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let executable = try Binaries.path(of: "tenantsync")
        let key = api.apiKey ?? ""
        return try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["tenants"] + arguments + ["--url", api.baseURL, "--api-key", key]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }
}
