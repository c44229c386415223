/// FNV-1a, a hash that is the same in every process.
///
/// Swift's `Hasher` is seeded randomly per process, so it cannot derive credentials or seeds that a
/// test in another process must be able to predict.
enum StableHash {
    /// Returns the 64-bit FNV-1a hash of the UTF-8 bytes of `text`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// Returns a generator seeded from a site, its seed and the name of one data stream.
    ///
    /// Each collection draws from its own stream, so changing the number of bookings leaves the
    /// accommodations and the estimates exactly as they were.
    static func generator(site: String, seed: UInt64, stream: String) -> SplitMix64 {
        SplitMix64(seed: fnv1a("\(site)|\(stream)") ^ (seed &* 0x9E37_79B9_7F4A_7C15))
    }
}
