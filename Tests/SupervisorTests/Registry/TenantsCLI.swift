import Foundation
import Support
import TestSupport

/// `tenantsync tenants …` run as a real process against a supervisor's API.
enum TenantsCLI {
    /// Runs `tenantsync tenants <arguments>` against `api` with `environment` added, and returns its exit
    /// status and its output (stdout and stderr together).
    static func run(_ api: APIClient, _ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        try await TenantsyncCLI.run(["tenants"] + arguments, against: api, environment: environment)
    }
}
