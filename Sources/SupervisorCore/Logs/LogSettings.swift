import Foundation

/// How tenant logs are stored: the `logs` object of the configuration file.
public struct LogSettings: Codable, Sendable, Equatable {
    /// How a line is written to the files.
    public enum Format: String, Codable, Sendable {
        /// One human-readable line per record.
        case text
        /// One JSON object per line.
        case json
    }

    /// A file is rotated before a line would take it past this size.
    public var maxFileBytes: Int
    /// Files kept per tenant, the current one included (`tenant.log`, `tenant.log.1`, …).
    public var maxFiles: Int
    public var format: Format
    /// Lines per tenant kept in memory for tails.
    public var ringLines: Int
    /// A message longer than this many bytes is cut, with a marker saying so.
    public var maxLineBytes: Int
    /// Lines a follower may fall behind before it is told that lines were dropped.
    public var followerBuffer: Int
    /// Records queued for the disk before new ones are counted as dropped instead of blocking.
    public var maxPendingWrites: Int

    public init(
        maxFileBytes: Int = 10 << 20,
        maxFiles: Int = 5,
        format: Format = .text,
        ringLines: Int = 1000,
        maxLineBytes: Int = 64 << 10,
        followerBuffer: Int = 1000,
        maxPendingWrites: Int = 10_000
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxFiles = maxFiles
        self.format = format
        self.ringLines = ringLines
        self.maxLineBytes = maxLineBytes
        self.followerBuffer = followerBuffer
        self.maxPendingWrites = maxPendingWrites
    }

    enum CodingKeys: String, CodingKey {
        case format
        case maxFileBytes = "max_file_bytes"
        case maxFiles = "max_files"
        case ringLines = "ring_lines"
        case maxLineBytes = "max_line_bytes"
        case followerBuffer = "follower_buffer"
        case maxPendingWrites = "max_pending_writes"
    }

    public init(from decoder: any Decoder) throws {
        let defaults = LogSettings()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxFileBytes = try container.decodeIfPresent(Int.self, forKey: .maxFileBytes) ?? defaults.maxFileBytes
        maxFiles = try container.decodeIfPresent(Int.self, forKey: .maxFiles) ?? defaults.maxFiles
        format = try container.decodeIfPresent(Format.self, forKey: .format) ?? defaults.format
        ringLines = try container.decodeIfPresent(Int.self, forKey: .ringLines) ?? defaults.ringLines
        maxLineBytes = try container.decodeIfPresent(Int.self, forKey: .maxLineBytes) ?? defaults.maxLineBytes
        followerBuffer = try container.decodeIfPresent(Int.self, forKey: .followerBuffer) ?? defaults.followerBuffer
        maxPendingWrites = try container.decodeIfPresent(Int.self, forKey: .maxPendingWrites) ?? defaults.maxPendingWrites
    }

    /// Checks the values that would make logging misbehave.
    public func validate() throws(ConfigurationError) {
        guard maxFileBytes >= 4096 else { throw ConfigurationError("logs.max_file_bytes must be at least 4096") }
        guard maxFiles >= 1 else { throw ConfigurationError("logs.max_files must be at least 1") }
        guard ringLines >= 1 else { throw ConfigurationError("logs.ring_lines must be at least 1") }
        guard maxLineBytes >= 256 else { throw ConfigurationError("logs.max_line_bytes must be at least 256") }
        guard followerBuffer >= 1 else { throw ConfigurationError("logs.follower_buffer must be at least 1") }
        guard maxPendingWrites >= 1 else { throw ConfigurationError("logs.max_pending_writes must be at least 1") }
    }
}

extension LogSettings {
    /// The data directory of a configuration file: `path` as written if absolute, else relative
    /// to the file's directory; `.tenantsync` beside the file when not given.
    static func resolveDataDirectory(_ path: String?, configurationFile: String) -> String {
        let base = URL(fileURLWithPath: configurationFile).deletingLastPathComponent()
        let given = path.flatMap { $0.isEmpty ? nil : $0 } ?? ".tenantsync"
        if given.hasPrefix("/") { return given }
        return base.appendingPathComponent(given).standardizedFileURL.path
    }

    /// Where tenant log files live inside a data directory.
    public static func logsDirectory(in dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("logs").path
    }
}
