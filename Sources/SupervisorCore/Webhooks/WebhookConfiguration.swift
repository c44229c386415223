/// Callback webhooks sent at the end of every run (see `docs/api.md`).
public struct WebhookConfiguration: Codable, Sendable, Equatable, CustomStringConvertible {
    /// URLs that receive every run's callback.
    public var urls: [String]
    /// The signing secret, `whsec_` then base64; `secret_env` names an environment variable instead.
    public var secret: String?
    public var secretEnvironmentVariable: String?
    /// Seconds to wait before each attempt; the first is usually 0. Defaults to the Standard Webhooks schedule.
    public var retrySchedule: [Double]
    /// Seconds an attempt may take.
    public var timeout: Double
    /// Seconds between scans of the outbox.
    public var pollInterval: Double
    /// Reported as `environment` in every payload.
    public var environment: String
    /// The payload's `event` for a run of one connector, by connector; default `sync_<connector>_completed`.
    public var eventNames: [String: String] = [:]
    /// The payload's `event` for a run mixing connectors; default `sync_completed`.
    public var mixedEventName: String?

    public static let standardSchedule: [Double] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000]

    public init(
        urls: [String] = [],
        secret: String? = nil,
        secretEnvironmentVariable: String? = nil,
        retrySchedule: [Double] = WebhookConfiguration.standardSchedule,
        timeout: Double = 15,
        pollInterval: Double = 1,
        environment: String = "production"
    ) {
        self.urls = urls
        self.secret = secret
        self.secretEnvironmentVariable = secretEnvironmentVariable
        self.retrySchedule = retrySchedule
        self.timeout = timeout
        self.pollInterval = pollInterval
        self.environment = environment
    }

    public var description: String {
        "WebhookConfiguration(urls: \(urls.count), secret: <redacted>, retry_schedule: \(retrySchedule))"
    }

    enum CodingKeys: String, CodingKey {
        case urls, secret, timeout, environment
        case secretEnvironmentVariable = "secret_env"
        case retrySchedule = "retry_schedule"
        case pollInterval = "poll_interval"
        case eventNames = "event_names"
        case mixedEventName = "mixed_event_name"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        urls = try container.decodeIfPresent([String].self, forKey: .urls) ?? []
        secret = try container.decodeIfPresent(String.self, forKey: .secret)
        secretEnvironmentVariable = try container.decodeIfPresent(String.self, forKey: .secretEnvironmentVariable)
        retrySchedule = try container.decodeIfPresent([Double].self, forKey: .retrySchedule) ?? Self.standardSchedule
        timeout = try container.decodeIfPresent(Double.self, forKey: .timeout) ?? 15
        pollInterval = try container.decodeIfPresent(Double.self, forKey: .pollInterval) ?? 1
        environment = try container.decodeIfPresent(String.self, forKey: .environment) ?? "production"
        eventNames = try container.decodeIfPresent([String: String].self, forKey: .eventNames) ?? [:]
        mixedEventName = try container.decodeIfPresent(String.self, forKey: .mixedEventName)
        if eventNames.values.contains(where: \.isEmpty) || mixedEventName?.isEmpty == true {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: container.codingPath + [CodingKeys.eventNames], debugDescription: "an event name must not be empty"
            ))
        }
    }

    /// The callback's `event` names these settings give.
    var events: WebhookEventNames {
        WebhookEventNames(byConnector: eventNames, mixed: mixedEventName ?? WebhookEventNames().mixed)
    }
}
