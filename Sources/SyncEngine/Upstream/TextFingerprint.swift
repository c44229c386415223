/// A 64-bit FNV-1a hash of a text's UTF-8 bytes: tells a line the upstream sent again byte for byte
/// from one that changed, without PostgreSQL parsing either.
///
/// Not a cryptographic hash: two different texts share a fingerprint with a chance of about one in
/// 2⁶⁴, and a matching fingerprint only ever skips rewriting a row with what it already holds.
enum TextFingerprint {
    /// The fingerprint of `text`, as the signed 64-bit value a `bigint` column stores.
    static func of(_ text: String) -> Int64 {
        var text = text
        return text.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            return Int64(bitPattern: hash)
        }
    }
}
