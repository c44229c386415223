import Foundation
import Support

/// One line of a tenant's log: a worker's stderr line, a worker `log` message or a supervisor event.
public struct TenantLogEntry: Encodable, Sendable, Equatable {
    /// Where a line came from.
    public enum Source: String, Encodable, Sendable {
        case stderr, log, supervisor
    }

    /// Increases by one for every line the store accepts, across all tenants.
    public var sequence: UInt64
    public var timestamp: Date
    public var tenant: String
    public var pid: Int32?
    /// A swift-log level name: `trace` … `critical`.
    public var level: String
    public var runID: String?
    public var stream: String?
    public var source: Source
    public var message: String
    public var fields: [String: String]

    enum CodingKeys: String, CodingKey {
        case sequence = "seq"
        case timestamp, tenant, pid, level, stream, source, message, fields
        case runID = "run_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(LogTimestamp.format(timestamp), forKey: .timestamp)
        try container.encode(tenant, forKey: .tenant)
        try container.encodeIfPresent(pid, forKey: .pid)
        try container.encode(level, forKey: .level)
        try container.encodeIfPresent(runID, forKey: .runID)
        try container.encodeIfPresent(stream, forKey: .stream)
        try container.encode(source, forKey: .source)
        try container.encode(message, forKey: .message)
        if !fields.isEmpty { try container.encode(fields, forKey: .fields) }
    }

    /// The record as one line of text, without its newline; embedded newlines are escaped.
    ///
    /// `2026-01-02T03:04:05.678Z hotel-a WARN  pid=42 run=r1 stream=bookings message key=value`
    public func text() -> String {
        var bytes: [UInt8] = []
        appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text line (without its newline) to `bytes`: the disk writer renders every
    /// stored line this way, straight into the buffer it writes.
    func appendText(to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + 64 + message.utf8.count)
        LogTimestamp.append(timestamp, to: &bytes)
        bytes.append(0x20)
        bytes.append(contentsOf: tenant.utf8)
        bytes.append(0x20)
        bytes.append(contentsOf: LogLevels.label(level).utf8)
        if let pid {
            bytes.append(contentsOf: " pid=".utf8)
            bytes.append(contentsOf: String(pid).utf8)
        }
        if let runID {
            bytes.append(contentsOf: " run=".utf8)
            Self.appendEscaped(runID, to: &bytes)
        }
        if let stream {
            bytes.append(contentsOf: " stream=".utf8)
            Self.appendEscaped(stream, to: &bytes)
        }
        if source == .supervisor { bytes.append(contentsOf: " [supervisor]".utf8) }
        bytes.append(0x20)
        Self.appendEscaped(message, to: &bytes)
        if !fields.isEmpty {
            for key in fields.keys.sorted() {
                bytes.append(0x20)
                Self.appendEscaped(key, to: &bytes)
                bytes.append(UInt8(ascii: "="))
                Self.appendEscaped(fields[key] ?? "", to: &bytes)
            }
        }
    }

    /// `text` with carriage returns and newlines written as backslash-r and backslash-n, so a record stays one line.
    static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else {
            bytes.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            default: bytes.append(byte)
            }
        }
    }

    /// The record as one compact JSON object, without its newline.
    public func json() -> String {
        (try? String(decoding: APIJSON.encoder.encode(self), as: UTF8.self)) ?? "{}"
    }
}

/// Level names, their order, and guessing a level from a raw stderr line.
public enum LogLevels {
    static let ordered = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// The canonical name of `name` (`warn` → `warning`, `fatal` → `critical`), or `nil` if unknown.
    public static func normalize(_ name: String) -> String? {
        let lowered = name.lowercased()
        switch lowered {
        case "warn": return "warning"
        case "err": return "error"
        case "fatal", "crit": return "critical"
        default: return ordered.contains(lowered) ? lowered : nil
        }
    }

    /// The position of a level in severity order; unknown levels count as `info`.
    public static func rank(_ name: String) -> Int {
        ordered.firstIndex(of: normalize(name) ?? "info") ?? 2
    }

    /// Five-letter upper-case label for text lines.
    static func label(_ level: String) -> String {
        switch level {
        case "trace": return "TRACE"
        case "debug": return "DEBUG"
        case "info": return "INFO "
        case "notice": return "NOTE "
        case "warning": return "WARN "
        case "error": return "ERROR"
        case "critical": return "CRIT "
        default:
            let upper = (normalize(level) ?? level).uppercased()
            let short = upper == "WARNING" ? "WARN" : upper == "CRITICAL" ? "CRIT" : upper == "NOTICE" ? "NOTE" : upper
            return short.count >= 5 ? short : short + String(repeating: " ", count: 5 - short.count)
        }
    }

    /// The level a stderr line announces among its first words (as swift-log's stream handler
    /// writes it), or `info`.
    static func guess(from line: String) -> String {
        for word in line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: true).prefix(4) {
            let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: "[]():"))
            if let level = normalize(trimmed), trimmed.count >= 4 { return level }
        }
        return "info"
    }
}

/// RFC 3339 timestamps in UTC with milliseconds, without Foundation formatters (which are slow
/// and not all thread-safe on every platform).
public enum LogTimestamp {
    public static func format(_ date: Date) -> String {
        var bytes: [UInt8] = []
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the stamp's 24 bytes to `output`.
    static func append(_ date: Date, to output: inout [UInt8]) {
        // Plain arithmetic on the Unix time: no libc time zone machinery, which stats
        // /etc/localtime on every call when TZ is unset and showed up once per stored line.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (days, millisecondOfDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let (day, remainder) = millisecondOfDay < 0 ? (days - 1, millisecondOfDay + 86_400_000) : (days, millisecondOfDay)
        let civil = CivilDate(daysSinceEpoch: Int(day))
        var bytes = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int64, at offset: Int, width: Int) {
            var value = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(Int64(civil.year), at: 0, width: 4)
        bytes[4] = UInt8(ascii: "-")
        put(Int64(civil.month), at: 5, width: 2)
        bytes[7] = UInt8(ascii: "-")
        put(Int64(civil.day), at: 8, width: 2)
        bytes[10] = UInt8(ascii: "T")
        put(remainder / 3_600_000, at: 11, width: 2)
        bytes[13] = UInt8(ascii: ":")
        put(remainder / 60_000 % 60, at: 14, width: 2)
        bytes[16] = UInt8(ascii: ":")
        put(remainder / 1000 % 60, at: 17, width: 2)
        bytes[19] = UInt8(ascii: ".")
        put(remainder % 1000, at: 20, width: 3)
        bytes[23] = UInt8(ascii: "Z")
        output.append(contentsOf: bytes)
    }

    /// Parses an RFC 3339 timestamp (with or without fractional seconds), or `nil`.
    public static func parse(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        return ISO8601DateFormatter().date(from: text)
    }
}
