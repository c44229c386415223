/// Cuts a byte stream into newline-terminated lines, whatever the read boundaries.
///
/// A line longer than ``maximumLineLength`` is never buffered whole: the framer keeps
/// nothing of it, skips to the next newline and reports it once as ``Event/oversized(length:)``.
/// A trailing `\r` is removed, so CRLF input frames the same as LF input.
public struct LineFramer: Sendable {
    /// What one chunk of input produced.
    public enum Event: Sendable, Equatable {
        /// A complete line, without its terminator.
        case line([UInt8])
        /// A line over the cap was dropped; `length` counts the bytes seen of it.
        case oversized(length: Int)
    }

    /// The default cap, 1 MiB.
    public static let defaultMaximumLineLength = 1 << 20

    /// The longest line, in bytes and without its terminator, that is delivered.
    public let maximumLineLength: Int
    private var buffer: [UInt8] = []
    private var discarding = false
    private var discardedLength = 0

    public init(maximumLineLength: Int = LineFramer.defaultMaximumLineLength) {
        precondition(maximumLineLength > 0, "maximumLineLength must be positive")
        self.maximumLineLength = maximumLineLength
    }

    /// Bytes of an unfinished line held back until its newline arrives.
    public var pendingByteCount: Int { discarding ? 0 : buffer.count }

    /// Feeds a chunk and returns the events it completes, in order.
    public mutating func append(_ chunk: some Collection<UInt8>) -> [Event] {
        var events: [Event] = []
        var rest = chunk[...]
        while !rest.isEmpty {
            if let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
                let piece = rest[rest.startIndex..<newline]
                finishLine(with: piece, into: &events)
                rest = rest[rest.index(after: newline)...]
            } else {
                accumulate(rest)
                break
            }
        }
        return events
    }

    /// Ends the stream: an unterminated last line is delivered as a line.
    public mutating func finish() -> [Event] {
        var events: [Event] = []
        if discarding {
            events.append(.oversized(length: discardedLength))
        } else if !buffer.isEmpty {
            events.append(.line(trimmingCarriageReturn(buffer)))
        }
        buffer.removeAll()
        discarding = false
        discardedLength = 0
        return events
    }

    private mutating func accumulate(_ piece: some Collection<UInt8>) {
        if discarding {
            discardedLength += piece.count
        } else if buffer.count + piece.count > maximumLineLength + 1 {
            // +1 leaves room for a '\r' that the next chunk's '\n' would make a terminator.
            discarding = true
            discardedLength = buffer.count + piece.count
            buffer.removeAll(keepingCapacity: false)
        } else {
            buffer.append(contentsOf: piece)
        }
    }

    private mutating func finishLine(with piece: some Collection<UInt8>, into events: inout [Event]) {
        if discarding {
            events.append(.oversized(length: discardedLength + piece.count))
            discarding = false
            discardedLength = 0
            return
        }
        buffer.append(contentsOf: piece)
        let line = trimmingCarriageReturn(buffer)
        buffer.removeAll(keepingCapacity: true)
        if line.count > maximumLineLength {
            events.append(.oversized(length: line.count))
        } else {
            events.append(.line(line))
        }
    }

    private func trimmingCarriageReturn(_ bytes: [UInt8]) -> [UInt8] {
        bytes.last == UInt8(ascii: "\r") ? Array(bytes.dropLast()) : bytes
    }
}
