import DemoUpstreamKit
import Foundation
import Logging
import SupervisorCore
import TestSupport

/// Runs a whole supervisor in-process (its workers are real child processes) for one test.
///
/// Tests get one through ``withSupervisorStack(sites:latency:upstreamFaults:migrated:supervision:fault:as:configure:editFile:_:)``;
/// these are its parts, for a test that starts a second supervisor on the same stack.
enum SupervisorTestHarness {
    static func configuration(sites: [DemoSite], endpoint: DemoUpstreamEndpoint, databaseURL: String) -> SupervisorConfiguration {
        var configuration = SupervisorConfiguration(
            databaseURL: databaseURL,
            port: 0,
            concurrency: 4,
            supervisorID: "test-\(UUID().uuidString.prefix(8))",
            workerPath: try? Binaries.path(of: "tenantsync-worker"),
            heartbeatInterval: 0.5,
            shutdownGracePeriod: 5,
            tenants: sites.map { site in
                TenantConfiguration(id: site.name, connector: "motopress", settings: [
                    "base_url": "\(endpoint.baseURL)/sites/\(site.name)",
                    "consumer_key": site.consumerKey,
                    "consumer_secret": site.consumerSecret,
                ])
            }
        )
        configuration.apiKeys = [APIKeyConfiguration(key: APIClient.defaultAPIKey)]
        return configuration
    }

    static func quietLogger() -> Logger {
        var logger = Logger(label: "supervisor-test")
        logger.logLevel = .warning
        return logger
    }

    /// A supervisor running in-process: its API, and a graceful stop that returns once it has stopped.
    struct Running: Sendable {
        let api: APIClient
        let stop: @Sendable () async throws -> Void
    }

    /// Starts the supervisor (its workers get `workerEnvironment`), runs `body` with its API client once
    /// it listens, then stops it.
    static func withSupervisor<T>(
        _ configuration: SupervisorConfiguration, workerEnvironment: [String: String] = [:], _ body: (APIClient) async throws -> T
    ) async throws -> T {
        try await withRunningSupervisor(configuration, workerEnvironment: workerEnvironment) { try await body($0.api) }
    }

    /// Starts the supervisor, runs `body` once it listens, then stops it (unless `body` did) whether
    /// `body` returns or throws.
    static func withRunningSupervisor<T>(
        _ configuration: SupervisorConfiguration, workerEnvironment: [String: String] = [:], logger: Logger = quietLogger(),
        _ body: (Running) async throws -> T
    ) async throws -> T {
        let ports = AsyncInbox<Int>()
        let stopped = AsyncInbox<Void>()
        let supervisor = try await SupervisorApp(
            configuration: configuration, logger: logger, workerEnvironment: workerEnvironment
        ) { port in ports.push(port) }
        let stop: @Sendable () async throws -> Void = {
            await supervisor.shutdown()
            _ = try await stopped.next(timeout: .seconds(60))
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { stopped.finish() }
                try await supervisor.run()
            }
            do {
                guard let port = try await ports.next(timeout: .seconds(60)) else { throw TestSupportError("supervisor did not listen") }
                let result = try await body(Running(api: APIClient(port: port), stop: stop))
                await supervisor.shutdown()
                try await group.waitForAll()
                return result
            } catch {
                await supervisor.shutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }
}
