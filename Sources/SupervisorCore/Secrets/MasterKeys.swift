import Synchronization

/// The keyring a supervisor uses now, shared by its registry readers and writers; SIGHUP replaces it when the
/// configuration names other key files (the first step of a rotation).
public final class MasterKeys: Sendable {
    private let ring: Mutex<MasterKeyring>

    public init(_ ring: MasterKeyring) {
        self.ring = Mutex(ring)
    }

    /// The keyring as it is now.
    public var current: MasterKeyring { ring.withLock { $0 } }

    func replace(with ring: MasterKeyring) {
        self.ring.withLock { $0 = ring }
    }
}
