/// FNV-1a over a tenant id's UTF-8 bytes: the same number in every process and on every machine,
/// unlike Swift's `Hasher`, which is seeded per process.
enum StableTenantHash {
    static func of(_ tenantID: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in tenantID.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
