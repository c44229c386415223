import Foundation

extension TenantLogEntry.Source: Decodable {}

extension TenantLogEntry: Decodable {
    /// Reads a record as ``encode(to:)`` writes it (API tails, follows, `--json` lines).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let stamp = try container.decode(String.self, forKey: .timestamp)
        guard let timestamp = LogTimestamp.parseFileStamp(stamp[...]) else {
            throw DecodingError.dataCorruptedError(forKey: .timestamp, in: container, debugDescription: "not an RFC 3339 time: \(stamp)")
        }
        self.init(
            sequence: try container.decode(UInt64.self, forKey: .sequence),
            timestamp: timestamp,
            tenant: try container.decode(String.self, forKey: .tenant),
            pid: try container.decodeIfPresent(Int32.self, forKey: .pid),
            level: try container.decode(String.self, forKey: .level),
            runID: try container.decodeIfPresent(String.self, forKey: .runID),
            stream: try container.decodeIfPresent(String.self, forKey: .stream),
            source: try container.decode(Source.self, forKey: .source),
            message: try container.decode(String.self, forKey: .message),
            fields: try container.decodeIfPresent([String: String].self, forKey: .fields) ?? [:]
        )
    }
}
