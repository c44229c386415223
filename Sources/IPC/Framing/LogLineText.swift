/// The text a log line ends with in a tenant's log file, and in a ``CompactLogLine``'s body.
///
/// ` run=R stream=S message key=value`: the run and the stream when present, a space and the message,
/// then each field in key order. Every part is escaped (backslash as `\\`, newline as `\n`, carriage
/// return as `\r`), so a line is always one line and its parts can be read back exactly.
public enum LogLineText {
    /// Appends the body for these parts to `bytes`.
    public static func appendBody(runID: String?, stream: String?, message: String, fields: [String: String], to bytes: inout [UInt8]) {
        var noLengths: [Int?]? = nil
        appendBody(runID: runID, stream: stream, message: message, fields: fields, to: &bytes, partLengths: &noLengths)
    }

    /// Appends the body to `bytes` and each part's escaped length (`nil` for an absent run or stream)
    /// to `partLengths` when there is one: run, stream, message, then key and value per field.
    static func appendBody(
        runID: String?, stream: String?, message: String, fields: [String: String], to bytes: inout [UInt8], partLengths: inout [Int?]?
    ) {
        func part(_ text: String?, prefix: StaticString) {
            guard let text else {
                partLengths?.append(nil)
                return
            }
            bytes.append(contentsOf: UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
            let start = bytes.count
            appendEscaped(text, to: &bytes)
            partLengths?.append(bytes.count - start)
        }
        part(runID, prefix: " run=")
        part(stream, prefix: " stream=")
        part(message, prefix: " ")
        if !fields.isEmpty {
            for key in fields.keys.sorted() {
                part(key, prefix: " ")
                part(fields[key] ?? "", prefix: "=")
            }
        }
    }

    /// Appends `text` escaped: backslash, newline and carriage return as two-character sequences.
    public static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || $0 == 0x0D }) else {
            bytes.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            default: bytes.append(byte)
            }
        }
    }

    /// `text` escaped as ``appendEscaped(_:to:)`` writes it.
    public static func escaped(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendEscaped(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text `escaped` stands for; `nil` when it is not UTF-8. A backslash before anything but
    /// `\`, `n` or `r` stands for itself.
    public static func unescape(_ escaped: UnsafeRawBufferPointer) -> String? {
        guard escaped.contains(0x5C) else { return String(validating: escaped, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(escaped.count)
        var index = 0
        while index < escaped.count {
            let byte = escaped[index]
            index += 1
            guard byte == 0x5C, index < escaped.count else {
                bytes.append(byte)
                continue
            }
            switch escaped[index] {
            case 0x5C: bytes.append(0x5C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            default:
                bytes.append(byte)
                continue
            }
            index += 1
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
