import Hummingbird
import Logging
import Support

/// The demo upstream: many tenants' fake MotoPress Hotel Booking sites and estimates APIs on one
/// loopback HTTP server.
///
/// Creating the server validates the configuration and generates and encodes every site's data, so
/// the cost of 100,000 bookings is paid once, before the first request. Run it with
/// ``withRunning(logger:isolation:_:)`` in tests, or put ``makeApplication(logger:onServerRunning:)``
/// in a service group.
///
/// ```swift
/// let configuration = DemoUpstreamConfiguration(siteNames: ["hotel-a"], bookings: 200)
/// try await DemoUpstreamServer.withRunningServer(configuration: configuration) { endpoint in
///     let bookings = endpoint.motoPressBaseURL(site: "hotel-a") + "/bookings?per_page=100"
///     // … Basic auth with configuration.sites[0].consumerKey / consumerSecret
/// }
/// ```
public struct DemoUpstreamServer: Sendable {
    /// The validated configuration the server runs with.
    public let configuration: DemoUpstreamConfiguration
    private let responder: DemoUpstreamResponder

    /// Validates `configuration` and prepares every site's data.
    public init(configuration: DemoUpstreamConfiguration) throws(DemoUpstreamError) {
        try configuration.validate()
        self.configuration = configuration
        self.responder = DemoUpstreamResponder(configuration: configuration)
    }

    /// Validates `configuration` and prepares every site's data on a thread of its own.
    ///
    /// Preparing a large site keeps a core busy for a while (about a second for 100,000 bookings in a
    /// debug build); done from an async context it would hold a thread of the cooperative pool that
    /// long, and every other task of the process, a supervisor's lease fence among them, would wait.
    public static func prepare(configuration: DemoUpstreamConfiguration) async throws(DemoUpstreamError) -> DemoUpstreamServer {
        try await offPool(name: "demo-upstream-prepare") { () throws(DemoUpstreamError) -> DemoUpstreamServer in
            try DemoUpstreamServer(configuration: configuration)
        }
    }

    /// A Hummingbird application serving the sites; `onServerRunning` gets the bound port.
    public func makeApplication(
        logger: Logger = Self.quietLogger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            responder: self.responder,
            configuration: ApplicationConfiguration(
                address: .hostname(self.configuration.host, port: self.configuration.port),
                serverName: "tenantsync-demo-upstream"
            ),
            onServerRunning: { channel in
                await onServerRunning(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
    }

    /// Runs the server until SIGTERM or SIGINT, then shuts it down gracefully.
    public func runUntilSignalled(
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await self.makeApplication(logger: logger, onServerRunning: onServerRunning).runService()
    }

    /// Runs the server, calls `body` once it is listening, then shuts the server down gracefully (``GracefulServer``).
    ///
    /// Waits for the listening socket (not for a fixed time) and rethrows the server's own error if
    /// it stops before listening, such as when the port is taken. The server runs on two threads of
    /// its own, so `body` may call blocking clients without starving it.
    public func withRunning<Result>(
        logger: Logger = Self.quietLogger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (DemoUpstreamEndpoint) async throws -> Result
    ) async throws -> Result {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let teardown = ShutdownQuietLogHandler.Switch()
        let quietOnTeardown = ShutdownQuietLogHandler.logger(wrapping: logger, teardown: teardown)
        let application = self.makeApplication(logger: quietOnTeardown) { port in
            continuation.yield(port)
        }
        let executor = DedicatedThreadExecutor(threads: 2, name: "demo-upstream")
        defer { executor.shutdown() }
        return try await GracefulServer.withRunning(application, logger: quietOnTeardown, executor: executor, onStopped: { continuation.finish() }) {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                throw DemoUpstreamError(code: .serverDidNotStart, context: "the server stopped before listening")
            }
            // The shutdown that follows logs what a test need not see.
            defer { teardown.stop() }
            return try await body(DemoUpstreamEndpoint(host: self.configuration.host, port: port))
        }
    }

    /// Creates a server for `configuration` and runs `body` against it; see ``withRunning(logger:isolation:_:)``.
    public static func withRunningServer<Result>(
        configuration: DemoUpstreamConfiguration,
        logger: Logger = Self.quietLogger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (DemoUpstreamEndpoint) async throws -> Result
    ) async throws -> Result {
        let server = try await prepare(configuration: configuration)
        return try await server.withRunning(logger: logger, body)
    }

    /// Applies `change` to the site named `site` while the server runs; the next request sees it.
    ///
    /// Throws ``DemoUpstreamError/Code/unknownRecord`` when the site or the record does not exist.
    public func apply(_ change: DemoSiteChange, to site: String) throws(DemoUpstreamError) {
        guard let store = self.responder.stores[site] else {
            throw DemoUpstreamError(code: .unknownRecord, context: "no site '\(site)'")
        }
        try store.apply(change)
    }

    /// How many authenticated requests the site's `collection` (`bookings`, `accommodations`, …) has
    /// served, pages and lookups by id alike; 0 for an unknown site.
    public func requestCount(site: String, collection: String) -> Int {
        self.responder.stores[site]?.requestCount(collection: collection) ?? 0
    }

    /// A logger that only reports warnings and worse, so tests stay quiet.
    public static var quietLogger: Logger {
        var logger = Logger(label: "tenantsync.demo-upstream")
        logger.logLevel = .warning
        return logger
    }
}
