import Foundation
import IPC

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
        LogTimestamp.append(timestamp, to: &bytes)
        bytes.append(0x20)
        bytes.append(contentsOf: tenant.utf8)
        bytes.append(0x20)
        bytes.append(contentsOf: LogLevels.label(level).utf8)
        if let pid {
            bytes.append(contentsOf: " pid=".utf8)
            bytes.append(contentsOf: String(pid).utf8)
        }
        if source == .supervisor {
            // Supervisor events carry neither run nor stream; the mark comes before the message.
            bytes.append(contentsOf: " [supervisor]".utf8)
        }
        LogLineText.appendBody(runID: runID, stream: stream, message: message, fields: fields, to: &bytes)
    }

    /// The record as one compact JSON object, without its newline.
    public func json() -> String {
        (try? String(decoding: APIJSON.encoder.encode(self), as: UTF8.self)) ?? "{}"
    }
}
