/// One tenant's last lines held in memory: a ring of fixed capacity whose newest line overwrites the oldest
/// once it is full.
struct TenantLogRing {
    private var entries: [TenantLogEntry] = []
    /// Where the oldest line is once the ring is full, and so where the next one goes.
    private var head = 0

    /// Stores `entry`, in place of the oldest line once `capacity` lines are held.
    mutating func append(_ entry: TenantLogEntry, capacity: Int) {
        if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[head] = entry
            head = (head + 1) % capacity
        }
    }

    /// The lines held, oldest first.
    var oldestFirst: [TenantLogEntry] {
        Array(entries[head...] + entries[..<head])
    }
}
