import Foundation

/// Everything `tenantsync serve` needs, read from a JSON file (see the README for the format).
public struct SupervisorConfiguration: Codable, Sendable {
    /// PostgreSQL connection URL; `TENANTSYNC_DATABASE_URL` overrides it.
    public var databaseURL: String
    /// Address of the HTTP API; loopback by default.
    public var host: String
    /// Port of the HTTP API; 0 picks a free one.
    public var port: Int
    /// How many tenants sync at once across all runs.
    public var concurrency: Int
    /// How many tenants sync at once against one upstream host (their `base_url`'s); `nil` caps nothing
    /// but ``concurrency``.
    public var maxPerHost: Int?
    /// Identifies this supervisor in tenant leases; defaults to `hostname:pid`.
    public var supervisorID: String?
    /// Path of the `tenantsync-worker` executable; defaults to the one beside `tenantsync`.
    public var workerPath: String?
    /// Seconds between worker heartbeats.
    public var heartbeatInterval: Double
    /// Seconds a worker gets to exit after `shutdown` before it is killed.
    public var shutdownGracePeriod: Double
    public var tenants: [TenantConfiguration]
    /// Restart and liveness settings for every tenant (see ``SupervisionSettings`` for defaults).
    public var supervision: SupervisionSettings?
    /// Connection URL workers use instead of `database_url`: a role subject to row-level security
    /// (not the tables' owner, not `BYPASSRLS`), member of `tenantsync_worker`. `TENANTSYNC_WORKER_DATABASE_URL` overrides it.
    public var workerDatabaseURL: String?
    /// How workers log in: a role per tenant (the default) or one shared role (see ``WorkerIdentity``).
    public var workerIdentity: WorkerIdentity = .tenantRole
    /// The file this configuration was loaded from; SIGHUP re-reads its tenants. Not part of the file.
    public var sourcePath: String?
    /// Keys the HTTP API accepts in `X-API-KEY`; every `/api` route needs one.
    public var apiKeys: [APIKeyConfiguration] = []
    /// Callback webhooks at the end of every run.
    public var webhooks: WebhookConfiguration = WebhookConfiguration()
    /// Where the supervisor keeps its files (tenant logs go in `logs/` inside it). In a configuration
    /// file a relative path is resolved against the file's directory, and it defaults to `.tenantsync`
    /// beside the file; `nil` (possible only when built in code) keeps logs in memory only.
    public var dataDirectory: String?
    /// How tenant logs are rotated, formatted and buffered.
    public var logs = LogSettings()
    /// How long tenant leases last and how often they are renewed, when several supervisors share the database.
    public var leases = LeaseSettings()
    /// Seconds an HTTP client gets to send a request's headers, and between two parts of its body,
    /// and that an idle kept-alive connection stays open. Answers being written are never cut.
    public var httpIdleTimeout: Double = 30
    /// Who may read `GET /metrics` (see ``MetricsSettings``).
    public var metrics = MetricsSettings()
    /// The schedule of every tenant without a `schedule` key of its own; `nil` (absent or `null`) leaves
    /// them on demand.
    public var defaultSchedule: TenantSchedule?

    public init(
        databaseURL: String,
        host: String = "127.0.0.1",
        port: Int = 8080,
        concurrency: Int = 4,
        supervisorID: String? = nil,
        workerPath: String? = nil,
        heartbeatInterval: Double = 2,
        shutdownGracePeriod: Double = 10,
        tenants: [TenantConfiguration]
    ) {
        self.databaseURL = databaseURL
        self.host = host
        self.port = port
        self.concurrency = concurrency
        self.supervisorID = supervisorID
        self.workerPath = workerPath
        self.heartbeatInterval = heartbeatInterval
        self.shutdownGracePeriod = shutdownGracePeriod
        self.tenants = tenants
    }

    enum CodingKeys: String, CodingKey {
        case databaseURL = "database_url"
        case host, port, concurrency, tenants
        case maxPerHost = "max_per_host"
        case supervisorID = "supervisor_id"
        case workerPath = "worker_path"
        case heartbeatInterval = "heartbeat_interval"
        case shutdownGracePeriod = "shutdown_grace_period"
        case supervision
        case workerDatabaseURL = "worker_database_url"
        case workerIdentity = "worker_identity"
        case apiKeys = "api_keys"
        case webhooks
        case dataDirectory = "data_directory"
        case logs
        case leases
        case httpIdleTimeout = "http_idle_timeout"
        case metrics
        case defaultSchedule = "default_schedule"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        databaseURL = try container.decodeIfPresent(String.self, forKey: .databaseURL) ?? ""
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? "127.0.0.1"
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 8080
        concurrency = try container.decodeIfPresent(Int.self, forKey: .concurrency) ?? 4
        maxPerHost = try container.decodeIfPresent(Int.self, forKey: .maxPerHost)
        supervisorID = try container.decodeIfPresent(String.self, forKey: .supervisorID)
        workerPath = try container.decodeIfPresent(String.self, forKey: .workerPath)
        heartbeatInterval = try container.decodeIfPresent(Double.self, forKey: .heartbeatInterval) ?? 2
        shutdownGracePeriod = try container.decodeIfPresent(Double.self, forKey: .shutdownGracePeriod) ?? 10
        tenants = try container.decodeIfPresent([TenantConfiguration].self, forKey: .tenants) ?? []
        supervision = try container.decodeIfPresent(SupervisionSettings.self, forKey: .supervision)
        workerDatabaseURL = try container.decodeIfPresent(String.self, forKey: .workerDatabaseURL)
        workerIdentity = try container.decodeIfPresent(WorkerIdentity.self, forKey: .workerIdentity) ?? .tenantRole
        apiKeys = try container.decodeIfPresent([APIKeyConfiguration].self, forKey: .apiKeys) ?? []
        webhooks = try container.decodeIfPresent(WebhookConfiguration.self, forKey: .webhooks) ?? WebhookConfiguration()
        dataDirectory = try container.decodeIfPresent(String.self, forKey: .dataDirectory)
        logs = try container.decodeIfPresent(LogSettings.self, forKey: .logs) ?? LogSettings()
        leases = try container.decodeIfPresent(LeaseSettings.self, forKey: .leases) ?? LeaseSettings()
        httpIdleTimeout = try container.decodeIfPresent(Double.self, forKey: .httpIdleTimeout) ?? 30
        metrics = try container.decodeIfPresent(MetricsSettings.self, forKey: .metrics) ?? MetricsSettings()
        defaultSchedule = try container.decodeIfPresent(TenantSchedule.self, forKey: .defaultSchedule)
    }

    /// Reads and validates a configuration file; environment variables override the file.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> SupervisorConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError("cannot read configuration file \(path): \(error.localizedDescription)")
        }
        var configuration: SupervisorConfiguration
        do {
            configuration = try JSONDecoder().decode(SupervisorConfiguration.self, from: data)
        } catch {
            throw ConfigurationError("configuration file \(path) is not valid: \(ConfigurationError.describe(error))")
        }
        if let url = environment["TENANTSYNC_DATABASE_URL"], !url.isEmpty { configuration.databaseURL = url }
        if let url = environment["TENANTSYNC_WORKER_DATABASE_URL"], !url.isEmpty { configuration.workerDatabaseURL = url }
        configuration.sourcePath = path
        configuration.dataDirectory = LogSettings.resolveDataDirectory(configuration.dataDirectory, configurationFile: path)
        try configuration.validate()
        return configuration
    }

    /// Checks the values that would otherwise fail late and obscurely.
    public func validate() throws(ConfigurationError) {
        guard !databaseURL.isEmpty else { throw ConfigurationError("database_url is missing (or set TENANTSYNC_DATABASE_URL)") }
        guard (0...65535).contains(port) else { throw ConfigurationError("port \(port) is out of range") }
        guard concurrency >= 1 else { throw ConfigurationError("concurrency must be at least 1") }
        if let maxPerHost, maxPerHost < 1 { throw ConfigurationError("max_per_host must be at least 1 (or left out)") }
        guard httpIdleTimeout > 0 else { throw ConfigurationError("http_idle_timeout must be more than 0 seconds") }
        try supervision?.validate(context: "configuration")
        try logs.validate()
        try leases.validate()
        var seen = Set<String>()
        for tenant in tenants {
            guard TenantConfiguration.isValidID(tenant.id) else {
                throw ConfigurationError("tenant id \"\(tenant.id)\" is invalid: use letters, digits, -, _ and . (at most 64)")
            }
            guard seen.insert(tenant.id).inserted else { throw ConfigurationError("tenant id \"\(tenant.id)\" appears twice") }
            try tenant.supervision?.validate(context: "tenant \(tenant.id)")
        }
    }
}

/// A configuration that cannot be used, with a message fit for an operator.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing key \(path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            return "invalid JSON at \(path(context.codingPath)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
