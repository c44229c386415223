import Foundation

/// The first ``length`` bytes of one log file, opened for reading, read line by line from the end.
///
/// Holding the descriptor keeps the bytes readable even if the file is rotated away meanwhile.
/// Reads in 64 KiB blocks from the end, so a tail of a few lines never reads the whole file.
final class LogFileSlice {
    /// A line longer than this (only a damaged file has one) is skipped rather than held in memory.
    static let maxLineBytes = 8 << 20
    private static let blockBytes = 64 << 10

    let length: Int
    private let descriptor: Int32
    /// Bytes below this offset have not been read yet.
    private var position: Int
    /// Read bytes not yet handed out; they end just before the newline of the last line returned.
    private var pending: [UInt8] = []
    private var skippingLongLine = false

    /// Opens `path` and takes at most `length` bytes of it; `nil` when it cannot be opened.
    init?(path: String, length: Int) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.length = min(length, Int(info.st_size))
        position = self.length
    }

    deinit { close(descriptor) }

    /// The previous line (newest first), without its newline, or `nil` at the start of the file.
    func previousLine() -> [UInt8]? {
        while true {
            if let newline = pending.lastIndex(of: UInt8(ascii: "\n")) {
                // Copied before the cut, so the cut does not copy the whole buffer.
                let line = Array(pending[(newline + 1)...])
                pending.removeSubrange(newline...)
                if line.isEmpty || skippingLongLine {
                    skippingLongLine = false
                    continue
                }
                return line
            }
            if position == 0 {
                guard !pending.isEmpty, !skippingLongLine else { return nil }
                defer { pending = [] }
                return pending
            }
            if pending.count > Self.maxLineBytes {
                // Keep only enough to find the line's start; the line itself is dropped.
                pending = []
                skippingLongLine = true
            }
            let count = min(Self.blockBytes, position)
            var block = [UInt8](repeating: 0, count: count)
            let read = block.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(position - count)) }
            guard read == count else { return nil }
            position -= count
            pending = block + pending
        }
    }
}
