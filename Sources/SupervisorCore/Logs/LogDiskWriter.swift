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
        freePlaces = LockedValue(settings.maxPendingWrites)
        if let directory {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                logger.error("cannot create the logs directory", metadata: ["logs.directory": "\(directory)", "error": "\(error.localizedDescription)"])
            }
        }
    }

    var enabled: Bool { directory != nil }

    /// Places in the queue: ``LogSettings/maxPendingWrites`` lines may wait for the disk at once.
    private let freePlaces: LockedValue<Int>

    /// Takes `count` places in the queue, waiting until they are free; always `true`.
    func reserve(_ count: Int = 1) -> Bool {
        while !tryReserve(count) {
            let room = DispatchSemaphore(value: 0)
            whenPlacesFree { room.signal() }
            room.wait()
        }
        return true
    }

    /// Takes `count` places in the queue if they are free at once. More lines than the queue holds
    /// are taken when it is empty, so no read of a pipe is too large to store.
    func tryReserve(_ count: Int = 1) -> Bool {
        freePlaces.withLock { free in
            guard free >= count || free == settings.maxPendingWrites else { return false }
            free -= count
            return true
        }
    }

    /// Gives back places taken for lines that were not queued after all.
    func release(_ count: Int) {
        guard count > 0 else { return }
        freePlaces.withLock { $0 += count }
        wakeRoomWaiters()
    }

    private let pending = LockedValue<(items: [LogDiskBlock], drainScheduled: Bool)>(([], false))

    /// Callers refused a place, woken when the next batch is written.
    private let roomWaiters = LockedValue<[@Sendable () -> Void]>([])

    /// Calls `wake` once places free up: after the next batch is written, or at once when nothing
    /// is queued (the places may all be free already). The drain wakes waiters once more when it finds
    /// nothing left to write, so a waiter added while it finishes is never missed. A woken caller tries again and may be
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

    /// Queues `block`, whose lines have places reserved, for its tenant's file. One drain on the disk
    /// queue takes every block queued so far and writes each tenant's share with one `write` call.
    func enqueue(_ block: LogDiskBlock) {
        guard !block.isEmpty else { return }
        let schedule = pending.withLock { state -> Bool in
            state.items.append(block)
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
            let batch = pending.withLock { state -> [LogDiskBlock] in
                let items = state.items
                state.items = []
                if items.isEmpty { state.drainScheduled = false }
                return items
            }
            if batch.isEmpty {
                wakeRoomWaiters()
                return
            }
            var order: [String] = []
            var byTenant: [String: [LogDiskBlock]] = [:]
            var lines = 0
            for block in batch {
                if byTenant[block.tenant] == nil { order.append(block.tenant) }
                byTenant[block.tenant, default: []].append(block)
                lines += block.units.count
            }
            for tenant in order {
                write(byTenant[tenant] ?? [], tenant: tenant)
            }
            freePlaces.withLock { $0 += lines }
            wakeRoomWaiters()
        }
    }

    /// Writes one tenant's blocks in order and remembers where each line starts.
    private func write(_ blocks: [LogDiskBlock], tenant: String) {
        guard let file = file(for: tenant) else { return }
        // Taken out of the dictionary and put back once: one lookup per block, not per line.
        var known = positions.removeValue(forKey: tenant) ?? []
        defer {
            if known.count > positionCapacity + positionCapacity / 2 { known.removeFirst(known.count - positionCapacity) }
            positions[tenant] = known
        }
        do {
            for block in blocks {
                let starts = try file.write(block.bytes, unitEnds: block.units.map(\.end))
                for (unit, start) in zip(block.units, starts) {
                    known.append(Position(sequence: unit.sequence, location: start))
                }
            }
            failing.remove(tenant)
        } catch {
            // Reported once per failing spell, not once per line.
            if failing.insert(tenant).inserted {
                logger.error("cannot write a tenant log file", metadata: ["tenant.id": "\(tenant)", "error": "\(error)"])
            }
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

    private func file(for tenant: String) -> RotatingLogFile? {
        guard let directory else { return nil }
        if let file = files[tenant] { return file }
        let file = RotatingLogFile(directory: directory, name: "\(tenant).log", maxBytes: settings.maxFileBytes, maxFiles: settings.maxFiles)
        files[tenant] = file
        return file
    }
}
