import Crypto
import Foundation

/// Signs webhook bodies per the Standard Webhooks spec: `v1,` then the base64 HMAC-SHA256 of `id.timestamp.body`.
///
/// The HMAC and its constant-time check are swift-crypto's.
public struct WebhookSigner: Sendable, CustomStringConvertible {
    private let key: SymmetricKey

    /// `secret` is `whsec_` then base64; the decoded bytes are the HMAC key.
    public init(secret: String) throws(ConfigurationError) {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let data = Data(base64Encoded: encoded), !data.isEmpty else {
            throw ConfigurationError("the webhook secret must be whsec_ followed by base64")
        }
        key = SymmetricKey(data: data)
    }

    /// The `webhook-signature` header value.
    public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Self.signedContent(id: id, timestamp: timestamp, body: body), using: key)
        return "v1," + Data(code).base64EncodedString()
    }

    /// Whether one of the space-separated `v1,<base64>` signatures in `header` matches, compared in constant time.
    public func verify(id: String, timestamp: Int64, body: [UInt8], header: String) -> Bool {
        let content = Self.signedContent(id: id, timestamp: timestamp, body: body)
        return header.split(separator: " ").contains { candidate in
            guard candidate.hasPrefix("v1,"), let code = Data(base64Encoded: String(candidate.dropFirst(3))) else { return false }
            return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: content, using: key)
        }
    }

    private static func signedContent(id: String, timestamp: Int64, body: [UInt8]) -> [UInt8] {
        Array("\(id).\(timestamp).".utf8) + body
    }

    public var description: String { "WebhookSigner(<redacted>)" }
}
