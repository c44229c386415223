import CurlHTTP
import DemoUpstreamKit
import Foundation
import SupervisorCore
import Support
import TestSupport

/// A supervisor in-process with misbehaving workers on demand, for the hardening tests written
/// before ``withSupervisorStack(sites:latency:upstreamFaults:migrated:supervision:fault:as:configure:editFile:_:)``.
enum SupervisionHarness {
    /// Tenants on the demo upstream, served by the worker test kit, with fast liveness checks and the
    /// given supervision settings.
    static func configuration(
        sites: [DemoSite], endpoint: DemoUpstreamEndpoint, databaseURL: String, supervision: SupervisionSettings = SupervisionSettings()
    ) -> SupervisorConfiguration {
        var configuration = SupervisorTestHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: databaseURL)
        // The worker test kit: the shipped worker's code plus the faults these tests ask for.
        configuration.workerPath = try? Binaries.path(of: "tenantsync-worker-testkit")
        var settings = supervision
        settings.checkInterval = settings.checkInterval ?? 0.2
        configuration.supervision = settings
        return configuration
    }

    /// Environment that makes `tenant`'s first worker (only the first, when `once`) misbehave.
    static func fault(_ fault: String, tenant: String, once: Bool, directory: URL) -> [String: String] {
        var environment = ["TENANTSYNC_WORKER_FAULT": fault, "TENANTSYNC_WORKER_FAULT_TENANT": tenant]
        if once { environment["TENANTSYNC_WORKER_FAULT_ONCE"] = directory.appendingPathComponent("fault-\(UUID().uuidString)").path }
        return environment
    }

    /// A scratch directory removed after `body`.
    static func withDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        try await withScratchDirectory(body)
    }

    /// Starts the supervisor with `workerEnvironment`, runs `body` once it listens, then stops it.
    static func withSupervisor<T: Sendable>(
        _ configuration: SupervisorConfiguration, workerEnvironment: [String: String] = [:], _ body: @Sendable (APIClient) async throws -> T
    ) async throws -> T {
        try await SupervisorTestHarness.withSupervisor(configuration, workerEnvironment: workerEnvironment, body)
    }
}
