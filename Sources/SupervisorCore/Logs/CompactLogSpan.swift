import IPC

/// Where one well-formed ``CompactLogLine`` lies in a read of a worker's stdout, checked by
/// ``init(line:in:)`` and not yet decoded.
struct CompactLogSpan: Sendable {
    /// The whole line, without its newline.
    var line: Range<Int>
    /// Its body: the text that ends the line in the tenant's file.
    var body: Range<Int>
    /// The index of its level in ``LogLevels/ordered`` when it is a canonical name.
    var level: Int?

    /// The span of `line` in `bytes`; `nil` when it is not a well-formed compact line.
    init?(line: Range<Int>, in bytes: UnsafeRawBufferPointer) {
        let text = UnsafeRawBufferPointer(rebasing: bytes[line])
        guard let header = CompactLogLine.header(of: text) else { return nil }
        self.line = line
        body = (line.lowerBound + header.body.lowerBound)..<(line.lowerBound + header.body.upperBound)
        level = LogLevels.index(ofCanonicalName: UnsafeRawBufferPointer(rebasing: text[header.level]))
    }
}
