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
