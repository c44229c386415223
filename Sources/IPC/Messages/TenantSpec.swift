/// A tenant's configuration as the worker receives it in ``Hello``.
public struct TenantSpec: Codable, Sendable, Equatable {
    /// Stable tenant identifier; every row the worker writes carries it.
    public var id: String
    /// Which connector syncs this tenant, for example `motopress` or `estimates`.
    public var connector: String
    /// Connection string of the PostgreSQL database the worker writes into.
    public var databaseURL: String
    /// Connector settings such as `base_url`, `consumer_key`, `consumer_secret`.
    public var settings: [String: String]
    /// Names of ``settings`` whose values are secret and must never be logged.
    public var secretSettings: [String]
    /// Seconds between heartbeats.
    public var heartbeatInterval: Double

    public init(
        id: String,
        connector: String,
        databaseURL: String,
        settings: [String: String] = [:],
        secretSettings: [String] = [],
        heartbeatInterval: Double = 2
    ) {
        self.id = id
        self.connector = connector
        self.databaseURL = databaseURL
        self.settings = settings
        self.secretSettings = secretSettings
        self.heartbeatInterval = heartbeatInterval
    }

    enum CodingKeys: String, CodingKey {
        case id, connector, settings
        case databaseURL = "database_url"
        case secretSettings = "secret_settings"
        case heartbeatInterval = "heartbeat_interval"
    }
}
