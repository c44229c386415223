import Crypto
import Foundation

/// Checks `X-API-KEY` against the configured keys, comparing in constant time.
public struct APIKeyAuthenticator: Sendable, CustomStringConvertible {
    /// What a key may touch.
    public struct Principal: Sendable, Equatable {
        /// The only tenant the key may use; `nil` for all.
        public var tenant: String?

        public func may(use tenantID: String) -> Bool { tenant == nil || tenant == tenantID }
    }

    private let keys: [(key: SHA256Digest, principal: Principal)]

    /// Resolves `key_env` entries from `environment`; a missing or empty key is a configuration error.
    public init(_ configurations: [APIKeyConfiguration], environment: [String: String]) throws(ConfigurationError) {
        var keys: [(key: SHA256Digest, principal: Principal)] = []
        for (index, configuration) in configurations.enumerated() {
            let value: String?
            if let name = configuration.keyEnvironmentVariable {
                value = environment[name]
                guard let value, !value.isEmpty else { throw ConfigurationError("api_keys[\(index)]: environment variable \(name) is not set") }
            } else {
                value = configuration.key
            }
            guard let value, value.count >= 8 else { throw ConfigurationError("api_keys[\(index)]: the key is missing or shorter than 8 characters") }
            keys.append((SHA256.hash(data: Array(value.utf8)), Principal(tenant: configuration.tenant)))
        }
        self.keys = keys
    }

    public var isEmpty: Bool { keys.isEmpty }

    /// The principal of `presented`, or `nil` when no key matches. Every key is compared, so timing reveals nothing.
    public func authenticate(_ presented: String) -> Principal? {
        // Digests have one length whatever the key's, and swift-crypto compares them in constant time.
        let digest = SHA256.hash(data: Array(presented.utf8))
        var match: Principal?
        for entry in keys where entry.key == digest && match == nil {
            match = entry.principal
        }
        return match
    }

    public var description: String { "APIKeyAuthenticator(keys: \(keys.count))" }
}
