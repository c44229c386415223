import Foundation
import Logging
import Support
import Synchronization

/// The store's single disk writer: a serial queue that owns every tenant's open file.
///
/// It also remembers where in the files the last lines of each tenant went, so a tail that
/// reaches past the in-memory ring can read exactly the lines older than the ring's oldest one.
final class LogDiskWriter: @unchecked Sendable {
    /// Where one written record starts.
    private struct Position {
        var sequence: UInt64
        var location: RotatingLogFile.Location
    }

    // Everything below is touched only on `queue`.
    private let queue = DispatchQueue(label: "tenantsync.logs.disk", qos: .utility)
    private var files: [String: RotatingLogFile] = [:]
    private var positions: [String: [Position]] = [:]
    private var failing: Set<String> = []
    private let directory: String?
    private let settings: LogSettings
    private let logger: Logger
    /// Positions kept per tenant: twice the ring, so the ring's oldest line is still found while
    /// new lines arrive between taking the ring and asking for the files.
    private let positionCapacity: Int

    init(directory: String?, settings: LogSettings, logger: Logger) {
        self.directory = directory
        self.settings = settings
        self.logger = logger
        positionCapacity = settings.ringLines * 2 + 64
        places = DispatchSemaphore(value: settings.maxPendingWrites)
        if let directory {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                logger.error("cannot create the logs directory", metadata: ["logs.directory": "\(directory)", "error": "\(error.localizedDescription)"])
            }
        }
    }

    var enabled: Bool { directory != nil }

    /// A record waiting for the disk.
    private struct Pending {
        var entry: TenantLogEntry
        var droppedBefore: Int
    }

    /// Places in the queue: ``LogSettings/maxPendingWrites`` records may wait for the disk at once.
    private let places: DispatchSemaphore

    /// Takes a place in the queue, waiting for one if the queue is full; always `true`.
    func reserve() -> Bool {
        places.wait()
        return true
    }

    /// Takes a place in the queue if one is free at once.
    func tryReserve() -> Bool {
        places.wait(timeout: .now()) == .success
    }

    private let pending = LockedValue<(items: [Pending], drainScheduled: Bool)>(([], false))

    /// Callers refused a place, woken when the next batch is written.
    private let roomWaiters = LockedValue<[@Sendable () -> Void]>([])

    /// Calls `wake` once places free up: after the next batch is written, or at once when nothing
    /// is queued (the places may all be free already). A woken caller tries again and may be
    /// refused again, then waits again.
    func whenPlacesFree(_ wake: @escaping @Sendable () -> Void) {
        roomWaiters.withLock { $0.append(wake) }
        let idle = pending.withLock { $0.items.isEmpty && !$0.drainScheduled }
        if idle { wakeRoomWaiters() }
    }

    private func wakeRoomWaiters() {
        let waiters = roomWaiters.withLock { waiters in
            defer { waiters.removeAll() }
            return waiters
        }
        for wake in waiters { wake() }
    }

    /// Queues `entry`, for which a place was reserved, for its tenant's file. Records are written in
    /// batches: one drain on the disk queue takes everything queued so far and writes each tenant's
    /// share with one `write` call.
    func enqueue(_ entry: TenantLogEntry, droppedBefore dropped: Int) {
        let schedule = pending.withLock { state -> Bool in
            state.items.append(Pending(entry: entry, droppedBefore: dropped))
            if state.drainScheduled { return false }
            state.drainScheduled = true
            return true
        }
        if schedule {
            queue.async { [self] in drain() }
        }
    }

    private func drain() {
        while true {
            let batch = pending.withLock { state -> [Pending] in
                let items = state.items
                state.items = []
                if items.isEmpty { state.drainScheduled = false }
                return items
            }
            if batch.isEmpty { return }
            var order: [String] = []
            var byTenant: [String: [Pending]] = [:]
            for item in batch {
                if byTenant[item.entry.tenant] == nil { order.append(item.entry.tenant) }
                byTenant[item.entry.tenant, default: []].append(item)
            }
            for tenant in order {
                write(byTenant[tenant] ?? [], tenant: tenant)
            }
            for _ in batch { places.signal() }
            wakeRoomWaiters()
        }
    }

    /// Writes one tenant's records in order, each preceded by its "dropped N lines" notice if any.
    private func write(_ items: [Pending], tenant: String) {
        var lines: [[UInt8]] = []
        var owners: [UInt64?] = []
        lines.reserveCapacity(items.count)
        for item in items {
            if item.droppedBefore > 0 {
                var notice = item.entry
                notice.level = "warning"
                notice.source = .supervisor
                notice.message = "dropped \(item.droppedBefore) lines: the log disk writer fell behind"
                notice.fields = [:]
                lines.append(render(notice))
                owners.append(nil)
            }
            lines.append(render(item.entry))
            owners.append(item.entry.sequence)
        }
        guard let locations = write(lines: lines, tenant: tenant) else { return }
        for (sequence, location) in zip(owners, locations) {
            if let sequence { remember(Position(sequence: sequence, location: location), tenant: tenant) }
        }
    }

    func flush() {
        queue.sync {}
    }

    func files(of tenant: String) -> [String] {
        queue.sync { file(for: tenant)?.allPaths() ?? [] }
    }

    /// `tenant`'s file contents older than the line with sequence `sequence` (or, when that line
    /// never reached the files, the first later one that did), newest file first.
    ///
    /// With `sequence` `nil`, or when no line from it on is on disk yet, everything on disk.
    /// The files are opened here, on the writer's queue, so a rotation afterwards cannot shift them.
    func slices(of tenant: String, before sequence: UInt64?) -> [LogFileSlice] {
        queue.sync {
            guard let file = file(for: tenant) else { return [] }
            var boundary: RotatingLogFile.Location?
            if let sequence, let known = positions[tenant] {
                // Sequences increase, so the first position at or after `sequence` is a binary search away.
                var low = 0
                var high = known.count
                while low < high {
                    let middle = (low + high) / 2
                    if known[middle].sequence < sequence { low = middle + 1 } else { high = middle }
                }
                if low < known.count { boundary = known[low].location }
            }
            return file.openForReading(before: boundary)
        }
    }

    private func remember(_ position: Position, tenant: String) {
        // Modified in place: copying the list out and back would copy it whole for every line.
        positions[tenant, default: []].append(position)
        if let count = positions[tenant]?.count, count > positionCapacity + positionCapacity / 2 {
            positions[tenant]?.removeFirst(count - positionCapacity)
        }
    }

    /// The record's line, with its newline.
    private func render(_ entry: TenantLogEntry) -> [UInt8] {
        var bytes: [UInt8] = []
        if settings.format == .json {
            bytes.append(contentsOf: entry.json().utf8)
        } else {
            entry.appendText(to: &bytes)
        }
        bytes.append(0x0A)
        return bytes
    }

    private func file(for tenant: String) -> RotatingLogFile? {
        guard let directory else { return nil }
        if let file = files[tenant] { return file }
        let file = RotatingLogFile(directory: directory, name: "\(tenant).log", maxBytes: settings.maxFileBytes, maxFiles: settings.maxFiles)
        files[tenant] = file
        return file
    }

    /// Writes `lines`; returns where each starts, or `nil` when the disk refused them.
    private func write(lines: [[UInt8]], tenant: String) -> [RotatingLogFile.Location]? {
        guard let file = file(for: tenant) else { return nil }
        do {
            let locations = try file.write(lines: lines)
            failing.remove(tenant)
            return locations
        } catch {
            // Reported once per failing spell, not once per line.
            if failing.insert(tenant).inserted {
                logger.error("cannot write a tenant log file", metadata: ["tenant.id": "\(tenant)", "error": "\(error)"])
            }
            return nil
        }
    }
}
