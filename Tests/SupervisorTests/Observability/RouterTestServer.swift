import Foundation
import Hummingbird
import Logging
import TestSupport

@testable import SupervisorCore

/// Serves `router` (behind ``InternalErrorBoundary``, as the supervisor does) on a free loopback port for
/// `body`, then stops it by cancellation. Real HTTP, no database.
func withRouterServer<T: Sendable>(
    _ router: Router<APIRequestContext>, _ body: @Sendable (APIClient) async throws -> T
) async throws -> T {
    // Cancellation is how this server stops; the server's log would only report that.
    var logger = Logger(label: "router-test-server")
    logger.logLevel = .critical
    let ports = AsyncInbox<Int>()
    let app = Application(
        router: InternalErrorBoundary(router, logger: logger),
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in ports.push(channel.localAddress?.port ?? 0) },
        logger: logger
    )
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        defer { group.cancelAll() }
        guard let port = try await ports.next(timeout: .seconds(120)) else { throw TestSupportError("test server did not listen") }
        return try await body(APIClient(port: port, apiKey: nil))
    }
}
