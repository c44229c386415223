/// Restart and liveness settings as written in the configuration file, globally or per tenant.
///
/// Every field is optional: a tenant's value wins over the global one, which wins over the
/// default documented on ``RestartPolicy`` and ``LivenessPolicy``. Durations are seconds.
public struct SupervisionSettings: Codable, Sendable, Equatable {
    public var initialBackoff: Double?
    public var maximumBackoff: Double?
    public var stableUptime: Double?
    public var backoffResetAfter: Double?
    public var maximumCrashes: Int?
    public var crashWindow: Double?
    public var syncRetries: Int?
    public var readyTimeout: Double?
    public var heartbeatTimeout: Double?
    public var stuckTimeout: Double?
    public var memoryLimitMegabytes: Double?
    public var checkInterval: Double?

    public init(
        initialBackoff: Double? = nil, maximumBackoff: Double? = nil, backoffResetAfter: Double? = nil,
        maximumCrashes: Int? = nil, crashWindow: Double? = nil, syncRetries: Int? = nil,
        heartbeatTimeout: Double? = nil, stuckTimeout: Double? = nil, memoryLimitMegabytes: Double? = nil,
        checkInterval: Double? = nil, readyTimeout: Double? = nil, stableUptime: Double? = nil
    ) {
        self.stableUptime = stableUptime
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.backoffResetAfter = backoffResetAfter
        self.maximumCrashes = maximumCrashes
        self.crashWindow = crashWindow
        self.syncRetries = syncRetries
        self.heartbeatTimeout = heartbeatTimeout
        self.stuckTimeout = stuckTimeout
        self.memoryLimitMegabytes = memoryLimitMegabytes
        self.checkInterval = checkInterval
        self.readyTimeout = readyTimeout
    }

    enum CodingKeys: String, CodingKey {
        case initialBackoff = "initial_backoff"
        case maximumBackoff = "maximum_backoff"
        case stableUptime = "stable_uptime"
        case backoffResetAfter = "backoff_reset_after"
        case maximumCrashes = "maximum_crashes"
        case crashWindow = "crash_window"
        case syncRetries = "sync_retries"
        case heartbeatTimeout = "heartbeat_timeout"
        case stuckTimeout = "stuck_timeout"
        case memoryLimitMegabytes = "memory_limit_mb"
        case checkInterval = "check_interval"
        case readyTimeout = "ready_timeout"
    }

    /// These settings with any unset field taken from `fallback`.
    public func over(_ fallback: SupervisionSettings?) -> SupervisionSettings {
        guard let fallback else { return self }
        return SupervisionSettings(
            initialBackoff: initialBackoff ?? fallback.initialBackoff,
            maximumBackoff: maximumBackoff ?? fallback.maximumBackoff,
            backoffResetAfter: backoffResetAfter ?? fallback.backoffResetAfter,
            maximumCrashes: maximumCrashes ?? fallback.maximumCrashes,
            crashWindow: crashWindow ?? fallback.crashWindow,
            syncRetries: syncRetries ?? fallback.syncRetries,
            heartbeatTimeout: heartbeatTimeout ?? fallback.heartbeatTimeout,
            stuckTimeout: stuckTimeout ?? fallback.stuckTimeout,
            memoryLimitMegabytes: memoryLimitMegabytes ?? fallback.memoryLimitMegabytes,
            checkInterval: checkInterval ?? fallback.checkInterval,
            readyTimeout: readyTimeout ?? fallback.readyTimeout,
            stableUptime: stableUptime ?? fallback.stableUptime
        )
    }

    /// The restart policy these settings describe.
    public var restartPolicy: RestartPolicy {
        var policy = RestartPolicy()
        if let initialBackoff { policy.initialBackoff = Self.duration(initialBackoff) }
        if let maximumBackoff { policy.maximumBackoff = Self.duration(maximumBackoff) }
        if let stableUptime { policy.stableUptime = Self.duration(stableUptime) }
        if let backoffResetAfter { policy.resetAfter = Self.duration(backoffResetAfter) }
        if let maximumCrashes { policy.maximumCrashes = maximumCrashes }
        if let crashWindow { policy.crashWindow = Self.duration(crashWindow) }
        if let syncRetries { policy.syncRetries = syncRetries }
        if let readyTimeout { policy.readyTimeout = Self.duration(readyTimeout) }
        return policy
    }

    /// The liveness policy these settings describe.
    public var livenessPolicy: LivenessPolicy {
        var policy = LivenessPolicy()
        if let heartbeatTimeout { policy.heartbeatTimeout = Self.duration(heartbeatTimeout) }
        if let stuckTimeout { policy.stuckTimeout = Self.duration(stuckTimeout) }
        if let memoryLimitMegabytes { policy.memoryLimitBytes = Int(memoryLimitMegabytes * 1024 * 1024) }
        if let checkInterval { policy.checkInterval = Self.duration(checkInterval) }
        return policy
    }

    /// Rejects values that would make supervision misbehave, naming the field.
    public func validate(context: String) throws(ConfigurationError) {
        let positive: [(String, Double?)] = [
            ("initial_backoff", initialBackoff), ("maximum_backoff", maximumBackoff), ("backoff_reset_after", backoffResetAfter),
            ("stable_uptime", stableUptime), ("crash_window", crashWindow), ("heartbeat_timeout", heartbeatTimeout), ("stuck_timeout", stuckTimeout),
            ("memory_limit_mb", memoryLimitMegabytes), ("check_interval", checkInterval), ("ready_timeout", readyTimeout),
        ]
        for (name, value) in positive {
            if let value, !(value > 0 && value.isFinite) {
                throw ConfigurationError("\(context): supervision.\(name) must be a positive number of \(name == "memory_limit_mb" ? "megabytes" : "seconds")")
            }
        }
        if let maximumCrashes, maximumCrashes < 0 { throw ConfigurationError("\(context): supervision.maximum_crashes must not be negative") }
        if let syncRetries, syncRetries < 0 { throw ConfigurationError("\(context): supervision.sync_retries must not be negative") }
    }

    static func duration(_ seconds: Double) -> Duration {
        .nanoseconds(Int64(seconds * 1_000_000_000))
    }
}
