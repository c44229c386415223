#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The compact framing of a worker's `log` message: what the supervisor can store without decoding it.
///
/// A JSON `log` line costs the supervisor a decode, a dictionary and a string per field before it can
/// stamp the line and write it. A compact line carries the text the supervisor writes to the tenant's
/// file as it stands, behind a short header that lets anyone decode it exactly when it must
/// (a follower, a tail from memory, a line holding a secret):
///
/// ```
/// L<level>;<run>,<stream>,<message>[,<key>,<value>]*;<body>
/// Linfo;,,20; log-flood line 12345
/// Lwarning;2,8,5,3,1; run=r1 stream=bookings retry after=2
/// ```
///
/// The header lists the byte length of each part as written in the body, an empty length for an
/// absent run or stream. The body is ``LogLineText``'s rendering, the one every log file line ends
/// with: ` run=R` and ` stream=S` when present, a space and the message, then ` key=value` per
/// field in key order, each part escaped (backslash, newline, carriage return), so a message is
/// always one line. The line starts with `L`, which no JSON message does.
public enum CompactLogLine {
    /// The first byte of every compact line.
    public static let marker = UInt8(ascii: "L")

    /// The compact line for `record`, ending with its newline.
    public static func encode(_ record: LogRecord) -> [UInt8] {
        var body: [UInt8] = []
        var lengths: [Int?]? = []
        LogLineText.appendBody(
            runID: record.runID, stream: record.stream, message: record.message, fields: record.fields, to: &body,
            partLengths: &lengths
        )
        var line: [UInt8] = [marker]
        line.reserveCapacity(body.count + 16 + record.level.utf8.count)
        line.append(contentsOf: record.level.utf8.filter { $0 != UInt8(ascii: ";") && $0 >= 0x20 })
        line.append(UInt8(ascii: ";"))
        for (index, length) in (lengths ?? []).enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            if let length { line.append(contentsOf: String(length).utf8) }
        }
        line.append(UInt8(ascii: ";"))
        line.append(contentsOf: body)
        line.append(0x0A)
        return line
    }

    /// Decodes a compact line (without its newline) back into the record it was made from.
    public static func decode(_ line: UnsafeRawBufferPointer) throws(IPCError) -> LogRecord {
        guard let layout = Layout(line) else {
            throw IPCError(code: .malformed, message: "not a valid compact log line: \(MessageCodec.excerpt(of: line))")
        }
        func text(_ range: Range<Int>) throws(IPCError) -> String {
            guard let text = LogLineText.unescape(UnsafeRawBufferPointer(rebasing: line[range])) else {
                throw IPCError(code: .malformed, message: "a compact log line that is not UTF-8: \(MessageCodec.excerpt(of: line))")
            }
            return text
        }
        guard let level = String(validating: UnsafeRawBufferPointer(rebasing: line[layout.level]), as: UTF8.self) else {
            throw IPCError(code: .malformed, message: "a compact log line that is not UTF-8: \(MessageCodec.excerpt(of: line))")
        }
        var fields: [String: String] = [:]
        var index = 0
        while index + 1 < layout.fields.count {
            fields[try text(layout.fields[index])] = try text(layout.fields[index + 1])
            index += 2
        }
        return LogRecord(
            level: level, message: try text(layout.message), runID: try layout.runID.map(text), stream: try layout.stream.map(text),
            fields: fields
        )
    }

    /// Decodes a compact line (without its newline) back into the record it was made from.
    public static func decode(_ line: some Collection<UInt8>) throws(IPCError) -> LogRecord {
        let result: Result<LogRecord, IPCError>? = line.withContiguousStorageIfAvailable { buffer in
            Result { () throws(IPCError) in try decode(UnsafeRawBufferPointer(buffer)) }
        }
        if let result { return try result.get() }
        let copied = Array(line).withUnsafeBytes { bytes in Result { () throws(IPCError) in try decode(bytes) } }
        return try copied.get()
    }

    /// What the supervisor needs to store a compact line without decoding it: the level and where
    /// the body starts; `nil` when the line is not a well-formed compact line.
    ///
    /// Checks the header against the body (lengths and separators), so a line it accepts always decodes,
    /// but not the body's bytes: the caller checks those for what it needs (plain ASCII, no secret).
    public static func header(of line: UnsafeRawBufferPointer) -> (level: Range<Int>, body: Range<Int>)? {
        walk(line) { _, _ in }
    }

    /// Checks the header against the body and calls `visit` with each part found, in order: its
    /// number (0 the run, 1 the stream, 2 the message, then key and value per field) and its range.
    ///
    /// Over raw bytes and allocating nothing: it runs for every line a worker logs, and a first
    /// version that indexed the buffer and collected the lengths took a sixth of the supervisor's
    /// time under a log flood (`perf`).
    @inline(__always)
    static func walk(
        _ line: UnsafeRawBufferPointer, visit: (_ part: Int, _ range: Range<Int>) -> Void
    ) -> (level: Range<Int>, body: Range<Int>)? {
        guard line.count >= 2, let bytes = line.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes[0] == marker else {
            return nil
        }
        let count = line.count
        let semicolon = UInt8(ascii: ";")
        var position = 1
        while position < count, bytes[position] != semicolon { position += 1 }
        guard position < count, position > 1 else { return nil }
        let level = 1..<position
        position += 1
        var headerEnd = position
        while headerEnd < count, bytes[headerEnd] != semicolon { headerEnd += 1 }
        guard headerEnd < count else { return nil }
        let bodyStart = headerEnd + 1
        var cursor = bodyStart
        var part = 0
        var length = -1
        while position <= headerEnd {
            let byte = bytes[position]
            position += 1
            let digit = byte &- UInt8(ascii: "0")
            if digit < 10 {
                length = max(length, 0) * 10 + Int(digit)
                guard length <= count else { return nil }
                continue
            }
            guard byte == UInt8(ascii: ",") || byte == semicolon else { return nil }
            switch part {
            case 0, 1:
                if length >= 0 {
                    let prefix: StaticString = part == 0 ? " run=" : " stream="
                    let prefixLength = prefix.utf8CodeUnitCount
                    guard count - cursor >= prefixLength + length, memcmp(bytes + cursor, prefix.utf8Start, prefixLength) == 0 else { return nil }
                    visit(part, (cursor + prefixLength)..<(cursor + prefixLength + length))
                    cursor += prefixLength + length
                }
            default:
                let separator = part == 2 || part % 2 == 1 ? UInt8(ascii: " ") : UInt8(ascii: "=")
                guard length >= 0, cursor < count, bytes[cursor] == separator, count - cursor - 1 >= length else { return nil }
                visit(part, (cursor + 1)..<(cursor + 1 + length))
                cursor += 1 + length
            }
            part += 1
            length = -1
        }
        guard part >= 3, part % 2 == 1, cursor == count else { return nil }
        return (level, bodyStart..<count)
    }

    /// Where each part of a compact line lies.
    struct Layout {
        var level: Range<Int>
        var body: Range<Int>
        var runID: Range<Int>?
        var stream: Range<Int>?
        var message: Range<Int>
        /// Key and value ranges in turn.
        var fields: [Range<Int>]

        init?(_ line: UnsafeRawBufferPointer) {
            var runID: Range<Int>?
            var stream: Range<Int>?
            var message = 0..<0
            var fields: [Range<Int>] = []
            let found = CompactLogLine.walk(line) { part, range in
                switch part {
                case 0: runID = range
                case 1: stream = range
                case 2: message = range
                default: fields.append(range)
                }
            }
            guard let found else { return nil }
            (level, body) = found
            self.runID = runID
            self.stream = stream
            self.message = message
            self.fields = fields
        }
    }
}
