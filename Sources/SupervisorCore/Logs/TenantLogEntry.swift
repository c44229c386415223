import Foundation

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
        var line = LogTimestamp.format(timestamp)
        line += " \(tenant) \(LogLevels.label(level))"
        if let pid { line += " pid=\(pid)" }
        if let runID { line += " run=\(Self.escape(runID))" }
        if let stream { line += " stream=\(Self.escape(stream))" }
        if source == .supervisor { line += " [supervisor]" }
        line += " " + Self.escape(message)
        for key in fields.keys.sorted() {
            line += " \(Self.escape(key))=\(Self.escape(fields[key] ?? ""))"
        }
        return line
    }

    /// The record as one compact JSON object, without its newline.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "\n" || $0 == "\r" }) else { return text }
        return text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
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
        let upper = (normalize(level) ?? level).uppercased()
        let short = upper == "WARNING" ? "WARN" : upper == "CRITICAL" ? "CRIT" : upper == "NOTICE" ? "NOTE" : upper
        return short.padding(toLength: 5, withPad: " ", startingAt: 0)
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
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds % 1000), 3))Z"
    }

    /// Parses an RFC 3339 timestamp (with or without fractional seconds), or `nil`.
    public static func parse(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        return ISO8601DateFormatter().date(from: text)
    }
}
