import Foundation

/// Signs webhook bodies per the Standard Webhooks spec: `v1,` then the base64 HMAC-SHA256 of `id.timestamp.body`.
public struct WebhookSigner: Sendable, CustomStringConvertible {
    private let key: [UInt8]

    /// `secret` is `whsec_` then base64; the decoded bytes are the HMAC key.
    public init(secret: String) throws(ConfigurationError) {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let data = Data(base64Encoded: encoded), !data.isEmpty else {
            throw ConfigurationError("the webhook secret must be whsec_ followed by base64")
        }
        key = [UInt8](data)
    }

    /// The `webhook-signature` header value.
    public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String {
        let message = Array("\(id).\(timestamp).".utf8) + body
        return "v1," + Data(HMACSHA256.authenticationCode(key: key, message: message)).base64EncodedString()
    }

    /// Whether one of the space-separated signatures in `header` matches.
    public func verify(id: String, timestamp: Int64, body: [UInt8], header: String) -> Bool {
        let expected = Array(signature(id: id, timestamp: timestamp, body: body).utf8)
        return header.split(separator: " ").contains { HMACSHA256.constantTimeEquals(Array($0.utf8), expected) }
    }

    public var description: String { "WebhookSigner(<redacted>)" }
}
