/// One API key the HTTP API accepts, from the configuration file or the environment.
///
/// Give either `key` (the value) or `key_env` (the name of an environment variable holding it).
/// A key with a `tenant` may only touch that tenant: its syncs, its runs, its status.
public struct APIKeyConfiguration: Codable, Sendable, Equatable, CustomStringConvertible {
    public var key: String?
    public var keyEnvironmentVariable: String?
    /// The only tenant this key may use; `nil` for every tenant.
    public var tenant: String?

    public init(key: String? = nil, keyEnvironmentVariable: String? = nil, tenant: String? = nil) {
        self.key = key
        self.keyEnvironmentVariable = keyEnvironmentVariable
        self.tenant = tenant
    }

    /// Never shows the key itself.
    public var description: String {
        "APIKeyConfiguration(key: <redacted>, key_env: \(keyEnvironmentVariable ?? "nil"), tenant: \(tenant ?? "all"))"
    }

    enum CodingKeys: String, CodingKey {
        case key, tenant
        case keyEnvironmentVariable = "key_env"
    }
}
