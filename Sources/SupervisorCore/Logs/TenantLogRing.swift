import Foundation
import IPC

/// One tenant's last lines held in memory: a ring of fixed capacity whose newest line overwrites the oldest
/// once it is full.
///
/// A worker's compact `log` line is kept as the bytes it came in (``Slot/compact(_:)``) and decoded only
/// when someone reads the ring: a tenant logging at full speed is read far less often than it writes.
struct TenantLogRing {
    /// One line held.
    enum Slot {
        case entry(TenantLogEntry)
        case compact(CompactLine)

        var sequence: UInt64 {
            switch self {
            case .entry(let entry): entry.sequence
            case .compact(let line): line.sequence
            }
        }

        /// The line as an entry of `tenant`'s log.
        func entry(tenant: String) -> TenantLogEntry {
            switch self {
            case .entry(let entry): entry
            case .compact(let line): line.entry(tenant: tenant)
            }
        }
    }

    /// A compact line stored as it came: it was stored on the fast path, so its level is a canonical
    /// name, its message needed no cut and it holds no secret.
    struct CompactLine {
        var sequence: UInt64
        var timestamp: Date
        var pid: Int32?
        /// The bytes of the read it came in, shared by the lines of that read.
        var bytes: LogLineBytes
        var range: Range<Int>

        func entry(tenant: String) -> TenantLogEntry {
            let record = bytes.bytes.withUnsafeBytes { buffer in
                try? CompactLogLine.decode(UnsafeRawBufferPointer(rebasing: buffer[range]))
            }
            return TenantLogEntry(
                sequence: sequence, timestamp: timestamp, tenant: tenant, pid: pid,
                level: record.flatMap { LogLevels.normalize($0.level) } ?? "info", runID: record?.runID, stream: record?.stream,
                source: .log, message: record?.message ?? "", fields: record?.fields ?? [:]
            )
        }
    }

    private var slots: [Slot] = []
    /// Where the oldest line is once the ring is full, and so where the next one goes.
    private var head = 0

    /// Stores `slot`, in place of the oldest line once `capacity` lines are held.
    mutating func append(_ slot: Slot, capacity: Int) {
        if slots.count < capacity {
            slots.append(slot)
        } else {
            slots[head] = slot
            head = (head + 1) % capacity
        }
    }

    /// Stores `entry`, in place of the oldest line once `capacity` lines are held.
    mutating func append(_ entry: TenantLogEntry, capacity: Int) {
        append(.entry(entry), capacity: capacity)
    }

    /// The lines held, oldest first; ``Slot/entry(tenant:)`` decodes each.
    var oldestFirst: [Slot] {
        Array(slots[head...] + slots[..<head])
    }
}
