import Support

extension SplitMix64 {
    /// A generator seeded from a site, its seed and the name of one data stream, the same in every
    /// process (``StableHash``).
    ///
    /// Each collection draws from its own stream, so changing the number of bookings leaves the
    /// accommodations and the estimates exactly as they were.
    static func stream(site: String, seed: UInt64, stream: String) -> SplitMix64 {
        SplitMix64(seed: StableHash.fnv1a("\(site)|\(stream)") ^ (seed &* 0x9E37_79B9_7F4A_7C15))
    }
}
