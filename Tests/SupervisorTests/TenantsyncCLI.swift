import Foundation
import Support
import TestSupport

/// The `tenantsync` command line, run as a real process until it exits.
enum TenantsyncCLI {
    /// What a run of the command printed (stdout and stderr together) and how it exited.
    typealias Outcome = (status: Int32, output: String)

    /// Runs `tenantsync <arguments>` with `environment` added to this process's.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Outcome {
        let executable = try Binaries.path(of: "tenantsync")
        return try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
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

    /// Runs `tenantsync <arguments>` against `api`, with its URL and key.
    static func run(_ arguments: [String], against api: APIClient, environment: [String: String] = [:]) async throws -> Outcome {
        try await run(arguments + ["--url", api.baseURL, "--api-key", api.apiKey ?? ""], environment: environment)
    }
}
