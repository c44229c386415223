import Foundation

/// The `metrics` section of the configuration: who may read `GET /metrics`.
public struct MetricsSettings: Codable, Sendable, Equatable {
    /// Whether `GET /metrics` needs an `X-API-KEY` (one for every tenant: the metrics name them all).
    /// `nil` (the default) leaves it open while the API listens on loopback only and requires a key
    /// on any other address.
    public var requireAPIKey: Bool?

    public init(requireAPIKey: Bool? = nil) {
        self.requireAPIKey = requireAPIKey
    }

    /// Whether a key is needed when the API listens on `host`.
    public func requiresAPIKey(listeningOn host: String) -> Bool {
        requireAPIKey ?? !Self.isLoopback(host)
    }

    /// `localhost`, `::1` and 127.0.0.0/8.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: ["[", "]"])
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    enum CodingKeys: String, CodingKey {
        case requireAPIKey = "require_api_key"
    }
}
