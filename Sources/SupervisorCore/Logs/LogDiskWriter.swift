import Foundation
import Logging

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
        if let directory {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                logger.error("cannot create the logs directory", metadata: ["logs.directory": "\(directory)", "error": "\(error.localizedDescription)"])
            }
        }
    }

    var enabled: Bool { directory != nil }

    func enqueue(_ entry: TenantLogEntry, droppedBefore dropped: Int, done: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            defer { done() }
            var text = ""
            if dropped > 0 {
                var notice = entry
                notice.level = "warning"
                notice.source = .supervisor
                notice.message = "dropped \(dropped) lines: the log disk writer fell behind"
                notice.fields = [:]
                text += render(notice) + "\n"
            }
            let noticeBytes = text.utf8.count
            text += render(entry) + "\n"
            if var location = write(Array(text.utf8), tenant: entry.tenant) {
                location.offset += noticeBytes
                remember(Position(sequence: entry.sequence, location: location), tenant: entry.tenant)
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

    private func remember(_ position: Position, tenant: String) {
        var known = positions[tenant] ?? []
        known.append(position)
        if known.count > positionCapacity + positionCapacity / 2 {
            known.removeFirst(known.count - positionCapacity)
        }
        positions[tenant] = known
    }

    private func render(_ entry: TenantLogEntry) -> String {
        settings.format == .json ? entry.json() : entry.text()
    }

    private func file(for tenant: String) -> RotatingLogFile? {
        guard let directory else { return nil }
        if let file = files[tenant] { return file }
        let file = RotatingLogFile(directory: directory, name: "\(tenant).log", maxBytes: settings.maxFileBytes, maxFiles: settings.maxFiles)
        files[tenant] = file
        return file
    }

    /// Writes `bytes`; returns where they start, or `nil` when the disk refused them.
    private func write(_ bytes: [UInt8], tenant: String) -> RotatingLogFile.Location? {
        guard let file = file(for: tenant) else { return nil }
        do {
            let location = try file.write(bytes)
            failing.remove(tenant)
            return location
        } catch {
            // Reported once per failing spell, not once per line.
            if failing.insert(tenant).inserted {
                logger.error("cannot write a tenant log file", metadata: ["tenant.id": "\(tenant)", "error": "\(error)"])
            }
            return nil
        }
    }
}
