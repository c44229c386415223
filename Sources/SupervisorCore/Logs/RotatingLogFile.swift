import Foundation

/// One tenant's log files: `tenant.log` plus up to `maxFiles - 1` rotated ones (`tenant.log.1` is
/// the newest of those).
///
/// Whole lines only: a file is rotated *before* a line that would take it past the size limit,
/// and every line goes out in one `write` loop, so no line is ever split across two files.
/// Not thread-safe: the store touches it from its single disk queue only.
final class RotatingLogFile {
    /// Where a line starts: in which generation of the current file (one per rotation by this
    /// process) and at which byte offset.
    struct Location: Equatable {
        var generation: Int
        var offset: Int
    }

    let path: String
    private let maxBytes: Int
    private let maxFiles: Int
    private var descriptor: Int32 = -1
    private var size = 0
    /// Rotations so far: the file `tenant.log.k` holds generation `generation - k`.
    private var generation = 0

    init(directory: String, name: String, maxBytes: Int, maxFiles: Int) {
        self.path = directory + "/" + name
        self.maxBytes = maxBytes
        self.maxFiles = maxFiles
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Appends `bytes`, whole lines cut into units at `unitEnds` (each unit one or more lines), with as
    /// few `write` calls as rotation allows (one per file they land in); returns where each unit starts.
    func write(_ bytes: [UInt8], unitEnds: [Int]) throws(LogFileError) -> [Location] {
        try openIfNeeded()
        var locations: [Location] = []
        locations.reserveCapacity(unitEnds.count)
        // Bytes before `flushed` are written; the unit being placed starts at `unitStart`.
        var flushed = 0
        var unitStart = 0
        for unitEnd in unitEnds {
            let pendingBytes = unitStart - flushed
            if size + pendingBytes > 0, size + pendingBytes + (unitEnd - unitStart) > maxBytes {
                try writeAll(bytes, from: flushed, to: unitStart)
                flushed = unitStart
                if size > 0 { try rotate() }
            }
            locations.append(Location(generation: generation, offset: size + (unitStart - flushed)))
            unitStart = unitEnd
        }
        try writeAll(bytes, from: flushed, to: bytes.count)
        return locations
    }

    private func writeAll(_ bytes: [UInt8], from start: Int, to end: Int) throws(LogFileError) {
        var offset = start
        while offset < end {
            let written = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + offset, end - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw LogFileError(path: path, errno: errno)
            }
            offset += written
        }
        size += end - start
    }

    /// Opens the files for reading, newest first, each cut to the bytes before `boundary` (all of
    /// them when `nil`); files wholly after the boundary are left out.
    func openForReading(before boundary: Location?) -> [LogFileSlice] {
        var slices: [LogFileSlice] = []
        for index in 0..<max(maxFiles, 1) {
            let candidate = index == 0 ? path : "\(path).\(index)"
            var length = Int.max
            if let boundary {
                let fileGeneration = generation - index
                if fileGeneration > boundary.generation { continue }
                if fileGeneration == boundary.generation { length = boundary.offset }
            }
            if let slice = LogFileSlice(path: candidate, length: length), slice.length > 0 { slices.append(slice) }
        }
        return slices
    }

    /// Every file of this tenant, oldest first.
    func allPaths() -> [String] {
        let rotated = (1..<max(maxFiles, 1)).reversed().map { "\(path).\($0)" }
        return (rotated + [path]).filter { FileManager.default.fileExists(atPath: $0) }
    }

    private func openIfNeeded() throws(LogFileError) {
        guard descriptor < 0 else { return }
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw LogFileError(path: path, errno: errno) }
        var info = stat()
        size = fstat(descriptor, &info) == 0 ? Int(info.st_size) : 0
    }

    private func rotate() throws(LogFileError) {
        close(descriptor)
        descriptor = -1
        if maxFiles <= 1 {
            unlink(path)
        } else {
            unlink("\(path).\(maxFiles - 1)")
            for index in stride(from: maxFiles - 2, through: 1, by: -1) {
                rename("\(path).\(index)", "\(path).\(index + 1)")
            }
            rename(path, "\(path).1")
        }
        generation += 1
        try openIfNeeded()
    }
}

/// A log file that could not be opened or written.
struct LogFileError: Error, CustomStringConvertible {
    var path: String
    var errno: Int32
    var description: String { "cannot write log file \(path): \(String(cString: strerror(errno)))" }
}
