import Foundation
import Hummingbird
import Logging
import NIOCore
import Postgres
import Schema
import ServiceLifecycle

/// A whole supervisor: database, workers, run coordinator and HTTP API.
///
/// `tenantsync serve` builds one and calls ``run()``, which returns after SIGTERM/SIGINT once
/// every worker has stopped; tests call ``shutdown()`` to get the same graceful path.
public final class SupervisorApp: Sendable {
    private let group: ServiceGroup
    private let database: PostgresClient
    /// This supervisor's metrics, served by `GET /metrics`.
    public let metrics: SupervisorMetrics
    /// Every route the HTTP API serves, as `GET /api/tenants/{tenant}`: the OpenAPI document must list each.
    let routes: [String]

    /// Applies migrations and wires every part; nothing runs until ``run()``.
    ///
    /// - Parameters:
    ///   - metrics: where this supervisor records its metrics; a registry of its own by default.
    ///   - onListening: called with the bound port once the API accepts connections.
    public init(
        configuration: SupervisorConfiguration,
        logger: Logger,
        workerEnvironment: [String: String] = [:],
        metrics: SupervisorMetrics = SupervisorMetrics(),
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try configuration.validate()
        self.metrics = metrics
        // Three descriptors per worker: thousands of tenants need more than the usual soft limit.
        let openFiles = OpenFileLimit.raiseToHardLimit()
        logger.debug("open file limit", metadata: ["process.open_files": "\(openFiles)"])
        if !DirectoryReadGuard.isActive {
            logger.warning("readdir is not the supervisor's guarded one; starting workers with thousands of descriptors open may crash it")
        }
        let database = PostgresClient(url: configuration.databaseURL, maximumConnections: 4)
        self.database = database
        let applied = try await database.withConnection { try Migrator().migrate($0) }
        if !applied.isEmpty {
            logger.info("applied migrations", metadata: ["schema.versions": "\(applied.map(String.init).joined(separator: ","))"])
        }

        // The registry is the source of truth: the file's tenants go into it first (the file wins for the
        // tenants it names), and the fleet starts with every tenant it holds.
        // A tenant whose secrets the keyring cannot open stops start-up here, before anything is written.
        let keyring = try MasterKeyring.load(configuration)
        if let current = keyring.current {
            logger.info("secret settings are encrypted under master key", metadata: ["secrets.master_key_id": "\(current.id)"])
        }
        let registry = TenantRegistry(database: database, keys: MasterKeys(keyring))
        if configuration.declaresTenants {
            let applied = try await registry.apply(configuration.tenants, source: .file) { $0.source == .file }
            if applied != TenantRegistry.ListChange() {
                logger.info("configuration file applied to the tenant registry", metadata: [
                    "registry.written": "\(applied.written.joined(separator: ","))", "registry.removed": "\(applied.removed.joined(separator: ","))",
                ])
            }
        }
        let tenants = try await registry.all().map(\.tenant)

        let host = ProcessInfo.processInfo.hostName
        let ownerID = configuration.supervisorID ?? LocalSupervisorID.make(host: host, pid: getpid())
        let leaseTable = LeaseTable(ownerID: ownerID)
        let databaseProbe = DatabaseProbe(databaseURL: configuration.databaseURL)
        let slots = SyncSlots(capacity: configuration.concurrency, maxPerHost: configuration.maxPerHost)
        let logStore = TenantLogStore(directory: configuration.dataDirectory.map(LogSettings.logsDirectory), settings: configuration.logs, tenants: tenants, databaseURL: configuration.databaseURL, logger: logger)
        let environment = WorkerEnvironment(
            executable: try configuration.workerPath ?? Self.defaultWorkerPath(),
            databaseURL: configuration.databaseURL,
            workerDatabaseURL: configuration.workerDatabaseURL,
            credentials: configuration.workerIdentity == .tenantRole
                ? WorkerCredentialIssuer(database: database, baseURL: configuration.workerDatabaseURL ?? configuration.databaseURL) : nil,
            heartbeatInterval: configuration.heartbeatInterval,
            shutdownGracePeriod: configuration.shutdownGracePeriod,
            extraEnvironment: workerEnvironment,
            supervision: configuration.supervision,
            logStore: logStore,
            leases: leaseTable,
            databaseReachable: { await databaseProbe.isReachable() },
            metrics: metrics,
            slots: slots
        )
        let fleet = WorkerFleet(tenants: tenants, defaultSchedule: configuration.defaultSchedule, environment: environment, logger: logger)
        let leases = LeaseManager(
            table: leaseTable, settings: configuration.leases, databaseURL: configuration.databaseURL, fleet: fleet,
            defaultHost: configuration.supervisorID == nil ? host : nil, logger: logger
        )
        let coordinator = RunCoordinator(
            store: RunStore(database: database, ownerID: ownerID),
            fleet: fleet,
            slots: slots,
            // Tenants added or changed at runtime pick their callback's event too.
            outbox: WebhookOutbox(configuration: configuration, webhookURLsOf: { fleet.controller(for: $0)?.tenant.webhookURLs }) { fleet.controller(for: $0)?.tenant.connector },
            leases: leaseTable,
            pollInterval: configuration.leases.pollInterval,
            metrics: metrics,
            logger: logger
        )
        let scheduler = TenantScheduler(
            store: ScheduleStore(database: database, ownerID: ownerID), book: environment.schedules, coordinator: coordinator,
            fleet: fleet, leases: leaseTable, logger: logger
        )
        let registryWatcher = TenantRegistryWatcher(
            registry: registry, fleet: fleet, databaseURL: configuration.databaseURL, configurationPath: configuration.sourcePath, logger: logger
        )
        fleet.onTenantsChanged.withLock { $0 = { leases.wake(); scheduler.wake() } }
        try await coordinator.recoverAbandonedRuns(defaultHost: configuration.supervisorID == nil ? host : nil)
        await fleet.retireRolesOfGoneTenants()
        let processEnvironment = ProcessInfo.processInfo.environment
        let authenticator = try APIKeyAuthenticator(configuration.apiKeys, environment: processEnvironment)
        if authenticator.isEmpty {
            logger.warning("no api_keys configured: every /api route answers 401 until one is added")
        }
        let webhooks = configuration.webhooks
        let secret = webhooks.secretEnvironmentVariable.flatMap { processEnvironment[$0] } ?? webhooks.secret
        if webhooks.secretEnvironmentVariable != nil && secret == nil {
            throw ConfigurationError("webhooks.secret_env names an environment variable that is not set")
        }
        let deliverer = WebhookDeliverer(
            database: database, signer: try secret.map { secret throws(ConfigurationError) in try WebhookSigner(secret: secret) },
            configuration: webhooks, metrics: metrics, logger: logger
        )
        let router = APIRouter(
            fleet: fleet, coordinator: coordinator, authenticator: authenticator, deliveries: WebhookDeliveryStore(database: database),
            database: databaseProbe, leases: leases, scheduler: scheduler, registry: registryWatcher, logger: logger
        ).build()
        OpenAPIController(logger: logger).addRoutes(to: router)
        MetricsController(
            metrics: metrics,
            gauges: ScrapeTimeGauges(metrics: metrics, fleet: fleet, leases: leaseTable, database: database, logger: logger),
            authenticator: authenticator,
            requiresAPIKey: configuration.metrics.requiresAPIKey(listeningOn: configuration.host)
        ).addRoutes(to: router)
        DashboardController(logger: logger).addRoutes(to: router)
        routes = router.routes.map(\.description)
        let systemd = SystemdNotifyService(environment: processEnvironment, logger: logger)
        let app = Application(
            router: InternalErrorBoundary(router, logger: logger),
            // Slow clients (headers or body trickling in, idle kept-alive connections) are cut after the timeout.
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(configuration.httpIdleTimeout * 1000)))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "tenantsync"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.info("API listening", metadata: ["http.address": "\(configuration.host):\(port)"])
                await onListening(port)
                await systemd.ready(status: "API listening on \(configuration.host):\(port)")
            },
            logger: logger
        )
        // Claimed once nothing else can fail, before any worker is spawned: a lone supervisor starts every
        // tenant at once, as before.
        try await leases.start()
        // Services stop in reverse order: the API first, then the workers (which ends the runs
        // in flight), then the leases (released only once their workers are gone), then the
        // coordinator, which records how those runs ended (and their callbacks), then the webhook deliverer.
        // The scheduler stops before the API and the workers, so no fire stores a run once they are stopping.
        group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: logStore.flushAtShutdown),
                    .init(service: deliverer),
                    .init(service: coordinator),
                    .init(service: leases),
                    .init(service: fleet),
                    .init(service: registryWatcher),
                    .init(service: app),
                    .init(service: scheduler),
                    .init(service: logStore),
                    .init(service: systemd), // last: the first to hear of shutdown, so STOPPING=1 comes at once
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
    }

    /// Runs until SIGTERM/SIGINT or ``shutdown()``, then stops every worker before returning.
    ///
    /// Every task of the supervisor runs with ``TaskLocalMetricsFactory/current`` set to its metrics, so
    /// Hummingbird's request metrics land in this supervisor's registry.
    public func run() async throws {
        defer { database.shutdown() }
        try await TaskLocalMetricsFactory.$current.withValue(metrics.factory) {
            try await group.run()
        }
    }

    /// Starts a graceful shutdown, as SIGTERM would.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
    }

    /// `tenantsync-worker` beside the running executable.
    static func defaultWorkerPath() throws -> String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = executable.deletingLastPathComponent().appendingPathComponent("tenantsync-worker").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw ConfigurationError("worker executable not found at \(candidate); set worker_path in the configuration")
        }
        return candidate
    }
}
