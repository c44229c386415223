import Foundation

extension TenantLogEntry {
    /// A line of `tenant`'s log file read back: a JSON object or a text line as ``text()`` writes it.
    ///
    /// Lines from the files have sequence 0: sequences restart with every supervisor process, so
    /// they say nothing about lines on disk. A text line cannot tell its fields from its message, so
    /// they stay in ``message``, escaped newlines too; the source is `supervisor` when the line is
    /// marked so, else `stderr`. `nil` for a line that is neither (a damaged file).
    static func parse(fileLine bytes: [UInt8], tenant: String) -> TenantLogEntry? {
        if bytes.first == UInt8(ascii: "{") { return parseJSON(bytes, tenant: tenant) }
        var rest = String(decoding: bytes, as: UTF8.self)[...]
        guard let space = rest.firstIndex(of: " "), let timestamp = LogTimestamp.parseFileStamp(rest[..<space]) else { return nil }
        rest = rest[rest.index(after: space)...]
        // The tenant as written: a file holds one tenant's lines.
        guard let tenantEnd = rest.firstIndex(of: " ") else { return nil }
        rest = rest[rest.index(after: tenantEnd)...]
        // Five-letter padded label, then one space.
        guard rest.count >= 6 else { return nil }
        let labelEnd = rest.index(rest.startIndex, offsetBy: 5)
        let level = Self.level(fromLabel: rest[..<labelEnd].trimmingCharacters(in: .whitespaces))
        rest = rest[rest.index(after: labelEnd)...]

        var entry = TenantLogEntry(
            sequence: 0, timestamp: timestamp, tenant: tenant, pid: nil, level: level, runID: nil, stream: nil,
            source: .stderr, message: "", fields: [:]
        )
        func take(_ prefix: String) -> Substring? {
            guard rest.hasPrefix(prefix), let end = rest.firstIndex(of: " ") else { return nil }
            defer { rest = rest[rest.index(after: end)...] }
            return rest[rest.index(rest.startIndex, offsetBy: prefix.count)..<end]
        }
        if let pid = take("pid=") { entry.pid = Int32(pid) }
        if let run = take("run=") { entry.runID = String(run) }
        if let stream = take("stream=") { entry.stream = String(stream) }
        if rest.hasPrefix("[supervisor] ") {
            entry.source = .supervisor
            rest = rest.dropFirst("[supervisor] ".count)
        }
        entry.message = String(rest)
        return entry
    }

    private static func parseJSON(_ bytes: [UInt8], tenant: String) -> TenantLogEntry? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
            let stamp = object["timestamp"] as? String, let timestamp = LogTimestamp.parseFileStamp(stamp[...])
        else { return nil }
        return TenantLogEntry(
            sequence: 0, timestamp: timestamp, tenant: tenant, pid: (object["pid"] as? NSNumber)?.int32Value,
            level: object["level"] as? String ?? "info", runID: object["run_id"] as? String, stream: object["stream"] as? String,
            source: (object["source"] as? String).flatMap(Source.init(rawValue:)) ?? .stderr,
            message: object["message"] as? String ?? "", fields: object["fields"] as? [String: String] ?? [:]
        )
    }

    /// The level a text label (`WARN`, `NOTE`, `CRIT`, …) stands for.
    private static func level(fromLabel label: String) -> String {
        switch label {
        case "NOTE": "notice"
        case "CRIT": "critical"
        default: LogLevels.normalize(label) ?? label.lowercased()
        }
    }
}

extension LogTimestamp {
    /// Parses the stamp the files use (`2026-01-02T03:04:05.678Z`) without a formatter, falling back
    /// to ``parse(_:)`` for any other RFC 3339 form.
    static func parseFileStamp(_ text: Substring) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "."),
            bytes[23] == UInt8(ascii: "Z")
        else { return parse(String(text)) }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int32(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), let millisecond = number(20..<23)
        else { return parse(String(text)) }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + Double(millisecond) / 1000)
    }
}
