import CurlHTTP

/// How often and how patiently a failed upstream request is retried, and how long one may take.
public struct RetryPolicy: Sendable {
    /// Total attempts, the first included.
    public var maximumAttempts: Int
    /// Delay before the first retry; doubles each time, with full jitter.
    public var initialDelay: Duration
    /// Upper bound of any single delay, `Retry-After` included.
    public var maximumDelay: Duration
    /// Time to connect to the upstream (`connect_timeout_ms`).
    public var connectTimeout: Duration = .seconds(10)
    /// Time for one whole request (`request_timeout_ms`); a request that takes longer is retried like any timeout.
    public var requestTimeout: Duration = .seconds(60)

    public init(maximumAttempts: Int = 4, initialDelay: Duration = .milliseconds(200), maximumDelay: Duration = .seconds(30)) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// `request` with this policy's time limits.
    public func limiting(_ request: HTTPRequest) -> HTTPRequest {
        var request = request
        request.connectTimeout = connectTimeout
        request.timeout = requestTimeout
        return request
    }

    /// The delay before retry number `retry` (1-based): exponential with jitter, or the server's wish.
    public func delay(beforeRetry retry: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter { return min(retryAfter, maximumDelay) }
        let exponent = min(retry - 1, 20)
        let ceiling = min(initialDelay * (1 << exponent), maximumDelay)
        // Half fixed, half random: spreads retries of many tenants without ever retrying at once.
        let milliseconds = Double(ceiling.components.seconds) * 1000 + Double(ceiling.components.attoseconds) / 1e15
        return .milliseconds(Int(milliseconds / 2 + Double.random(in: 0...(milliseconds / 2))))
    }
}

extension RetryPolicy {
    /// The policy a tenant's settings ask for: `max_attempts` (1–20, default 4), `retry_initial_ms`
    /// (default 200), `retry_max_ms` (default 30000, also caps `Retry-After`), `connect_timeout_ms`
    /// (100–300000, default 10000) and `request_timeout_ms` (100–3600000, default 60000).
    public init(settings: ConnectorSettings) throws(SyncError) {
        let attempts = try settings.integer("max_attempts", default: 4)
        let initial = try settings.integer("retry_initial_ms", default: 200)
        let maximum = try settings.integer("retry_max_ms", default: 30_000)
        guard (1...20).contains(attempts), initial >= 0, maximum >= 0 else {
            throw SyncError(code: .configuration, message: "tenant \(settings.tenantID): max_attempts must be 1…20 and retry delays not negative")
        }
        self.init(maximumAttempts: attempts, initialDelay: .milliseconds(initial), maximumDelay: .milliseconds(maximum))
        connectTimeout = .milliseconds(try settings.integer("connect_timeout_ms", default: 10_000, in: 100...300_000))
        requestTimeout = .milliseconds(try settings.integer("request_timeout_ms", default: 60_000, in: 100...3_600_000))
    }
}
