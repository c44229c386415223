/// One tenant as the registry stores it: its configuration and the bookkeeping around it.
public struct TenantRecord: Sendable, Equatable {
    /// The configuration, secrets in the clear: never answer it as it is (see ``masked``).
    public var tenant: TenantConfiguration
    /// Grows on every change of the row; sent as the tenant's `ETag`.
    public var version: Int64
    public var source: TenantSource
    /// When the tenant was first stored (ISO 8601, UTC).
    public var createdAt: String
    /// When it last changed (ISO 8601, UTC).
    public var updatedAt: String

    /// The `ETag` of this version: the version number, quoted.
    public var entityTag: String { "\"\(version)\"" }

    /// What API answers show: secret settings as `"***"`.
    public var masked: TenantRecordView {
        TenantRecordView(tenant: tenant.maskingSecrets(), version: version, source: source, createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// A tenant's registry entry as the API shows it: its configuration with secret settings as `"***"`,
/// its version, who wrote it last and when.
///
/// Encoded flat: the configuration's keys (`id`, `connector`, `settings`, …) beside `version`,
/// `source`, `created_at` and `updated_at`.
public struct TenantRecordView: Codable, Sendable, Equatable {
    public var tenant: TenantConfiguration
    public var version: Int64
    public var source: TenantSource
    public var createdAt: String
    public var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case version, source
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(tenant: TenantConfiguration, version: Int64, source: TenantSource, createdAt: String, updatedAt: String) {
        self.tenant = tenant
        self.version = version
        self.source = source
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public init(from decoder: any Decoder) throws {
        tenant = try TenantConfiguration(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int64.self, forKey: .version)
        source = try container.decode(TenantSource.self, forKey: .source)
        createdAt = try container.decode(String.self, forKey: .createdAt)
        updatedAt = try container.decode(String.self, forKey: .updatedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        try tenant.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(source, forKey: .source)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
