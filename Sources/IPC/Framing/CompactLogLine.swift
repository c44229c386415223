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
        // The same walk as ``Layout``'s, over raw bytes and keeping nothing: it runs for every line a
        // worker logs, and ``Layout`` took a sixth of the supervisor's time under a log flood (`perf`).
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
                    cursor += prefixLength + length
                }
            default:
                let separator = part == 2 || part % 2 == 1 ? UInt8(ascii: " ") : UInt8(ascii: "=")
                guard length >= 0, cursor < count, bytes[cursor] == separator, count - cursor - 1 >= length else { return nil }
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
        /// Key and value ranges in turn; empty when not kept.
        var fields: [Range<Int>]

        /// Walks the header's lengths and the body's parts together, so nothing is collected but
        /// the ranges asked for (the supervisor's check of every stored line allocates nothing).
        init?(_ line: UnsafeRawBufferPointer, keepingFields: Bool = true) {
            guard line.count >= 2, line[0] == CompactLogLine.marker else { return nil }
            let semicolon = UInt8(ascii: ";")
            var position = 1
            while position < line.count, line[position] != semicolon { position += 1 }
            guard position < line.count, position > 1 else { return nil }
            level = 1..<position
            position += 1
            // The body starts after the second semicolon.
            var bodyStart = position
            while bodyStart < line.count, line[bodyStart] != semicolon { bodyStart += 1 }
            guard bodyStart < line.count else { return nil }
            bodyStart += 1
            body = bodyStart..<line.count

            var cursor = bodyStart
            func expect(_ literal: StaticString) -> Bool {
                let count = literal.utf8CodeUnitCount
                guard cursor + count <= line.count else { return false }
                for offset in 0..<count where line[cursor + offset] != literal.utf8Start[offset] { return false }
                cursor += count
                return true
            }
            func expect(byte: UInt8) -> Bool {
                guard cursor < line.count, line[cursor] == byte else { return false }
                cursor += 1
                return true
            }
            func take(_ length: Int) -> Range<Int>? {
                guard cursor + length <= line.count else { return nil }
                defer { cursor += length }
                return cursor..<(cursor + length)
            }
            runID = nil
            stream = nil
            message = 0..<0
            fields = []
            var part = 0
            var length: Int?
            while position < bodyStart {
                let byte = line[position]
                position += 1
                if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    let value = (length ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
                    guard value <= line.count else { return nil }
                    length = value
                    continue
                }
                guard byte == UInt8(ascii: ",") || byte == semicolon else { return nil }
                // One part's length is complete: find that part in the body.
                switch part {
                case 0, 1:
                    if let length {
                        guard part == 0 ? expect(" run=") : expect(" stream="), let range = take(length) else { return nil }
                        if part == 0 { runID = range } else { stream = range }
                    }
                case 2:
                    guard let length, expect(byte: 0x20), let range = take(length) else { return nil }
                    message = range
                default:
                    let isKey = part % 2 == 1
                    guard let length, expect(byte: isKey ? 0x20 : UInt8(ascii: "=")), let range = take(length) else { return nil }
                    if keepingFields { fields.append(range) }
                }
                part += 1
                length = nil
            }
            guard part >= 3, part % 2 == 1, cursor == line.count else { return nil }
        }
    }
}
