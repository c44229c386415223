import Foundation

/// One tenant's log files: `tenant.log` plus up to `maxFiles - 1` rotated ones (`tenant.log.1` is
/// the newest of those).
///
/// Whole lines only: a file is rotated *before* a line that would take it past the size limit,
/// and every line goes out in one `write` loop, so no line is ever split across two files.
/// Not thread-safe: the store touches it from its single disk queue only.
final class RotatingLogFile {
    let path: String
    private let maxBytes: Int
    private let maxFiles: Int
    private var descriptor: Int32 = -1
    private var size = 0

    init(directory: String, name: String, maxBytes: Int, maxFiles: Int) {
        self.path = directory + "/" + name
        self.maxBytes = maxBytes
        self.maxFiles = maxFiles
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Appends one line, which must end in a newline; throws with `errno` if the disk refuses.
    func write(_ line: [UInt8]) throws(LogFileError) {
        try openIfNeeded()
        if size > 0, size + line.count > maxBytes { try rotate() }
        var offset = 0
        while offset < line.count {
            let written = line.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + offset, line.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw LogFileError(path: path, errno: errno)
            }
            offset += written
        }
        size += line.count
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
        try openIfNeeded()
    }
}

/// A log file that could not be opened or written.
struct LogFileError: Error, CustomStringConvertible {
    var path: String
    var errno: Int32
    var description: String { "cannot write log file \(path): \(String(cString: strerror(errno)))" }
}
