import Crypto
import Foundation
import Support

/// A master key: 256 bits that wrap every tenant's data key, and the id that names it.
///
/// The id (`mk_` and 16 hex digits of the key's SHA-256) is stored beside every wrapped data key, so a
/// supervisor given the wrong key says which one it needs, and no key can be mislabelled. The key itself
/// never leaves memory: not in logs, errors or the database.
public struct MasterKey: Sendable {
    let key: SymmetricKey
    /// `mk_3f9a0c1d2e4b5a6c`.
    public let id: String

    /// A key from its base64 text (44 characters; surrounding white space is ignored).
    /// - Parameter origin: where the text came from, for the error (`TENANTSYNC_MASTER_KEY`, a file's path).
    public init(base64 text: String, origin: String) throws(ConfigurationError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: trimmed), bytes.count == 32 else {
            throw ConfigurationError("\(origin) does not hold a master key: expected 32 bytes in base64 (`tenantsync keys generate` makes one)")
        }
        self.init(key: SymmetricKey(data: bytes))
    }

    init(key: SymmetricKey) {
        self.key = key
        let digest = key.withUnsafeBytes { SHA256.hash(data: Data($0)) }
        id = "mk_" + HexDigits.string(digest.prefix(8))
    }

    /// A new random key, and its base64 text to store.
    public static func generate() -> (key: MasterKey, base64: String) {
        let key = SymmetricKey(size: .bits256)
        return (MasterKey(key: key), key.withUnsafeBytes { Data($0).base64EncodedString() })
    }
}
