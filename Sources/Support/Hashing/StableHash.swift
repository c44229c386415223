/// FNV-1a: a hash that is the same in every process and on every machine.
///
/// Swift's `Hasher` is seeded randomly per process, so it cannot place a tenant's scheduled fires
/// where every supervisor agrees, nor derive data that a test in another process must predict.
public enum StableHash {
    /// The 64-bit FNV-1a hash of the UTF-8 bytes of `text`.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
