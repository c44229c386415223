/// Why a tenant's sync waits for a slot, shown in its status.
enum SyncWaitReason: Equatable, Sendable, CustomStringConvertible {
    /// Every one of the `concurrency` slots is syncing a tenant.
    case allSlotsBusy(inUse: Int, capacity: Int)
    /// As many syncs as `max_per_host` allows already call this upstream host.
    case hostAtLimit(host: String, limit: Int)

    var description: String {
        switch self {
        case .allSlotsBusy(let inUse, let capacity):
            "waiting for a sync slot (\(inUse) of \(capacity) in use)"
        case .hostAtLimit(let host, let limit):
            "waiting for a sync slot: \(host) is at max_per_host (\(limit) at once)"
        }
    }
}
