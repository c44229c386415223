import DemoUpstreamKit
import Foundation
import Logging
import SupervisorCore
import TestSupport

/// Runs a whole supervisor in-process (its workers are real child processes) for one test.
enum SupervisorTestHarness {
    static func configuration(sites: [DemoSite], endpoint: DemoUpstreamEndpoint, databaseURL: String, concurrency: Int = 4) -> SupervisorConfiguration {
        var configuration = SupervisorConfiguration(
            databaseURL: databaseURL,
            port: 0,
            concurrency: concurrency,
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

    /// Starts the supervisor (its workers get `workerEnvironment`), runs `body` with its API client once
    /// it listens, then stops it.
    static func withSupervisor<T: Sendable>(
        _ configuration: SupervisorConfiguration, workerEnvironment: [String: String] = [:], _ body: @Sendable (APIClient) async throws -> T
    ) async throws -> T {
        let ports = AsyncInbox<Int>()
        let supervisor = try await SupervisorApp(
            configuration: configuration, logger: quietLogger(), workerEnvironment: workerEnvironment
        ) { port in ports.push(port) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await supervisor.run() }
            do {
                guard let port = try await ports.next(timeout: .seconds(60)) else { throw TestSupportError("supervisor did not listen") }
                let result = try await body(APIClient(port: port))
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
