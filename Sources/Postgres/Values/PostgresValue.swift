/// A bind parameter or `COPY` field, sent to the server in PostgreSQL's text format.
///
/// The server infers each parameter's type from the statement, so cast where it cannot
/// (`$1::jsonb`, `$2::text[]`). JSON is passed as `.text`.
public enum PostgresValue: Sendable, Hashable {
    case null
    case text(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    /// Raw bytes for a `bytea` parameter, sent in hex format (`\x0a1b`).
    case bytes([UInt8])

    /// The value in PostgreSQL's text input format, or `nil` for SQL NULL.
    public var postgresText: String? {
        switch self {
        case .null:
            return nil
        case .text(let string):
            return string
        case .int(let int):
            return String(int)
        case .double(let double):
            return Self.render(double)
        case .bool(let bool):
            return bool ? "t" : "f"
        case .bytes(let bytes):
            return Self.renderHex(bytes)
        }
    }

    private static func render(_ double: Double) -> String {
        if double.isNaN {
            return "NaN"
        }
        if double.isInfinite {
            return double < 0 ? "-Infinity" : "Infinity"
        }
        // Swift prints the shortest round-tripping form, which float8in and numeric_in both accept.
        return double.description
    }

    private static func renderHex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        text.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Texts for `PQexecParams`, rejecting NUL bytes, which a PostgreSQL text value cannot hold.
    static func parameterTexts(_ values: [PostgresValue]) throws(PostgresError) -> [String?] {
        var texts: [String?] = []
        texts.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            let text = value.postgresText
            if let text, text.utf8.contains(0) {
                throw PostgresError(
                    code: .queryFailed,
                    sqlState: "22021",
                    message: "parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot store"
                )
            }
            texts.append(text)
        }
        return texts
    }
}

extension PostgresValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) {
        self = .text(value)
    }
}

extension PostgresValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self = .int(value)
    }
}

extension PostgresValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) {
        self = .double(value)
    }
}

extension PostgresValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension PostgresValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) {
        self = .null
    }
}
