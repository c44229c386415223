/// Decodes the commonest line a worker sends, a `log` message, without `JSONDecoder`.
///
/// A chatty tenant sends thousands of these a second and `JSONDecoder` cost half of the
/// supervisor's time storing them. This reader accepts only the exact shape ``MessageCodec``
/// writes — one flat object of `type`, `level`, `message`, `run_id`, `stream` (strings or null)
/// and `fields` (an object of strings) — and answers `nil` for anything else, including anything
/// malformed, so the general decoder still decides every other line and reports every error.
enum LogLineDecoder {
    static func decode(_ line: some Collection<UInt8>) -> LogRecord? {
        if let result = line.withContiguousStorageIfAvailable({ decode(buffer: $0) }) {
            return result
        }
        return Array(line).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    static func decode(buffer: UnsafeBufferPointer<UInt8>) -> LogRecord? {
        var reader = Reader(bytes: buffer)
        guard reader.consume(UInt8(ascii: "{")) else { return nil }
        var type: String?
        var level: String?
        var message: String?
        var runID: String?
        var stream: String?
        var fields: [String: String]?
        var first = true
        while true {
            if reader.consume(UInt8(ascii: "}")) { break }
            if !first { guard reader.consume(UInt8(ascii: ",")) else { return nil } }
            first = false
            guard let key = reader.string(), reader.consume(UInt8(ascii: ":")) else { return nil }
            switch key {
            case "type": guard let value = reader.string() else { return nil }; type = value
            case "level": guard let value = reader.string() else { return nil }; level = value
            case "message": guard let value = reader.string() else { return nil }; message = value
            case "run_id": guard let value = reader.optionalString() else { return nil }; runID = value
            case "stream": guard let value = reader.optionalString() else { return nil }; stream = value
            case "fields": guard let value = reader.stringObject() else { return nil }; fields = value
            default: return nil
            }
        }
        guard reader.atEnd(), type == "log", let level, let message, let fields else { return nil }
        return LogRecord(level: level, message: message, runID: runID, stream: stream, fields: fields)
    }

    /// A cursor over the line's bytes.
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func skipWhitespace() {
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 || bytes[position] == 0x0A || bytes[position] == 0x0D {
                position += 1
            }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func atEnd() -> Bool {
            skipWhitespace()
            return position == bytes.count
        }

        /// A string, or `null` as `.some(nil)`; `nil` when neither.
        mutating func optionalString() -> String?? {
            skipWhitespace()
            if position + 4 <= bytes.count, bytes[position] == UInt8(ascii: "n"), bytes[position + 1] == UInt8(ascii: "u"),
                bytes[position + 2] == UInt8(ascii: "l"), bytes[position + 3] == UInt8(ascii: "l")
            {
                position += 4
                return .some(nil)
            }
            return string().map { .some($0) }
        }

        /// An object whose values are all strings.
        mutating func stringObject() -> [String: String]? {
            guard consume(UInt8(ascii: "{")) else { return nil }
            var object: [String: String] = [:]
            if consume(UInt8(ascii: "}")) { return object }
            while true {
                guard let key = string(), consume(UInt8(ascii: ":")), let value = string() else { return nil }
                object[key] = value
                if consume(UInt8(ascii: "}")) { return object }
                guard consume(UInt8(ascii: ",")) else { return nil }
            }
        }

        /// A string literal, strictly: no control characters, valid escapes, valid UTF-8.
        mutating func string() -> String? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            let start = position
            var isASCII = true
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let literal = UnsafeBufferPointer(rebasing: bytes[start..<position])
                    // ASCII is valid UTF-8 as it stands, and `String(decoding:)` is specialised for it;
                    // `String(validating:)` is generic and looks up type metadata on every call.
                    let text = isASCII ? String(decoding: literal, as: UTF8.self) : String(validating: literal, as: UTF8.self)
                    position += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
                if byte < 0x20 { return nil }
                if byte >= 0x80 { isASCII = false }
                position += 1
            }
            return nil
        }

        private mutating func escapedString(from start: Int) -> String? {
            var output = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return String(validating: output, as: UTF8.self)
                }
                if byte < 0x20 { return nil }
                guard byte == UInt8(ascii: "\\") else {
                    output.append(byte)
                    position += 1
                    continue
                }
                guard position + 1 < bytes.count else { return nil }
                let escaped = bytes[position + 1]
                position += 2
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escaped)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                            return nil
                        }
                        position += 2
                        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        return nil
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    output.append(contentsOf: String(Character(unicode)).utf8)
                default:
                    return nil
                }
            }
            return nil
        }

        private mutating func hex4() -> UInt32? {
            guard position + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }
    }
}
