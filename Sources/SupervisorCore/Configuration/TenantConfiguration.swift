/// One tenant as the supervisor's configuration file describes it.
public struct TenantConfiguration: Codable, Sendable, Equatable {
    /// Stable identifier; letters, digits, `-`, `_` and `.` only.
    public var id: String
    /// Connector name, for example `motopress`.
    public var connector: String
    /// Disabled tenants get no worker and are left out of sync-all.
    public var enabled: Bool
    /// Connector settings (`base_url`, `consumer_key`, `consumer_secret`, …), as text: a JSON number
    /// or boolean in the file is kept as its text form (`50`, `true`).
    public var settings: [String: String]
    /// Settings whose values are secret; by default every setting whose name contains
    /// `secret`, `password`, `token` or `key`.
    public var secretSettings: [String]?
    /// Restart and liveness settings for this tenant, over the global ones.
    public var supervision: SupervisionSettings?
    /// Callback webhook URLs for runs that include this tenant, besides the global ones.
    public var webhookURLs: [String] = []
    /// When the tenant syncs unattended: its own schedule, none (`null`), or the configuration's
    /// `default_schedule` (no `schedule` key). The fleet resolves ``ScheduleChoice/inherited`` when it
    /// takes the tenant, so a running tenant's choice is never `inherited`.
    public var schedule: ScheduleChoice = .inherited

    public init(id: String, connector: String, enabled: Bool = true, settings: [String: String], secretSettings: [String]? = nil) {
        self.id = id
        self.connector = connector
        self.enabled = enabled
        self.settings = settings
        self.secretSettings = secretSettings
    }

    /// The names of settings to keep out of logs and API responses.
    public var effectiveSecretSettings: [String] {
        if let secretSettings { return secretSettings }
        return settings.keys.filter { name in
            let lowered = name.lowercased()
            return ["secret", "password", "token", "key"].contains { lowered.contains($0) }
        }.sorted()
    }

    enum CodingKeys: String, CodingKey {
        case id, connector, enabled, settings
        case secretSettings = "secret_settings"
        case supervision
        case webhookURLs = "webhook_urls"
        case schedule
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        connector = try container.decode(String.self, forKey: .connector)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        // Numbers and booleans are accepted and kept as their text (see ``SettingText``).
        settings = try container.decodeIfPresent([String: SettingText].self, forKey: .settings)?.mapValues(\.text) ?? [:]
        secretSettings = try container.decodeIfPresent([String].self, forKey: .secretSettings)
        supervision = try container.decodeIfPresent(SupervisionSettings.self, forKey: .supervision)
        webhookURLs = try container.decodeIfPresent([String].self, forKey: .webhookURLs) ?? []
        if container.contains(.schedule) {
            schedule = try container.decodeNil(forKey: .schedule) ? .onDemand : .scheduled(container.decode(TenantSchedule.self, forKey: .schedule))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(connector, forKey: .connector)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(settings, forKey: .settings)
        try container.encodeIfPresent(secretSettings, forKey: .secretSettings)
        try container.encodeIfPresent(supervision, forKey: .supervision)
        try container.encode(webhookURLs, forKey: .webhookURLs)
        // Absent, null or the schedule: the three choices survive a round trip through the file.
        switch schedule {
        case .inherited: break
        case .onDemand: try container.encodeNil(forKey: .schedule)
        case .scheduled(let schedule): try container.encode(schedule, forKey: .schedule)
        }
    }

    /// Whether `id` is safe to use in file names, URLs and logs.
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
            && id != "." && id != ".."
    }
}
