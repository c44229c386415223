import Foundation

/// Turns messages into single JSON lines and lines back into messages.
///
/// Encoding never produces a raw newline inside a line (JSON escapes them in strings), so one
/// message is always exactly one line.
public struct MessageCodec: Sendable {
    /// How much of a bad line an error quotes.
    static let excerptLength = 120

    public init() {}

    /// Encodes a message as one line, terminated by `\n`.
    public func encodeLine(_ message: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        // Encoding our own value types cannot fail: they hold only strings, numbers and containers.
        var bytes = [UInt8]((try? encoder.encode(message)) ?? Data("{}".utf8))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Decodes one line (without terminator) sent by a worker.
    public func decodeWorkerMessage(_ line: some Collection<UInt8>) throws(IPCError) -> WorkerMessage {
        if line.first == CompactLogLine.marker {
            return .log(try CompactLogLine.decode(line))
        }
        if let record = LogLineDecoder.decode(line) {
            return .log(record)
        }
        return try decode(WorkerMessage.self, line)
    }

    /// Decodes one line (without terminator) sent by the supervisor.
    public func decodeSupervisorMessage(_ line: some Collection<UInt8>) throws(IPCError) -> SupervisorMessage {
        try decode(SupervisorMessage.self, line)
    }

    private func decode<Message: Decodable>(_ type: Message.Type, _ line: some Collection<UInt8>) throws(IPCError) -> Message {
        let data = Data(line)
        do {
            return try JSONDecoder().decode(Message.self, from: data)
        } catch let unknown as UnknownMessageType {
            throw IPCError(code: .unknownType, message: "unknown message type \"\(unknown.type)\"")
        } catch {
            throw IPCError(code: .malformed, message: "not a valid message: \(Self.excerpt(of: line))")
        }
    }

    /// A short, printable excerpt of a line for error messages.
    public static func excerpt(of line: some Collection<UInt8>) -> String {
        let prefix = String(decoding: line.prefix(excerptLength), as: UTF8.self)
        let printable = prefix.unicodeScalars.map { $0.properties.isWhitespace || $0.value >= 0x20 ? String($0) : "?" }.joined()
        return line.count > excerptLength ? "\"\(printable)…\" (\(line.count) bytes)" : "\"\(printable)\""
    }
}
