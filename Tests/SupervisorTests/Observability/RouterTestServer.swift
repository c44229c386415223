import DemoUpstreamKit
import Foundation
import Hummingbird
import Logging
import TestSupport

@testable import SupervisorCore

/// Serves `router` (behind ``InternalErrorBoundary``, as the supervisor does) on a free loopback port for
/// `body`, then stops it with a graceful shutdown. Real HTTP, no database.
func withRouterServer<T: Sendable>(
    _ router: Router<APIRequestContext>, _ body: @Sendable (APIClient) async throws -> T
) async throws -> T {
    // The server's log would only report its shutdown.
    var logger = Logger(label: "router-test-server")
    logger.logLevel = .critical
    let ports = AsyncInbox<Int>()
    let app = Application(
        router: InternalErrorBoundary(router, logger: logger),
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in ports.push(channel.localAddress?.port ?? 0) },
        logger: logger
    )
    return try await GracefulServer.withRunning(app, logger: logger) {
        guard let port = try await ports.next(timeout: .seconds(120)) else { throw TestSupportError("test server did not listen") }
        return try await body(APIClient(port: port, apiKey: nil))
    }
}
