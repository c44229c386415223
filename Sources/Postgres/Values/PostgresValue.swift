#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

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
    /// A `text[]` parameter (``textArray(_:)``), sent in the binary array format; cast it in SQL to
    /// the array type the statement needs (`$1::bigint[]`, `$2::jsonb[]`). As a `COPY` field it is the
    /// text literal.
    case textElements([String?])

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
        case .textElements(let elements):
            return Self.renderTextArray(elements)
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
        "\\x" + HexDigits.string(bytes)
    }

    /// The parameters as `PQexecParams` takes them, rejecting NUL bytes, which a PostgreSQL text value
    /// cannot hold: text arrays in the binary format, everything else in the text format.
    static func parameters(_ values: [PostgresValue]) throws(PostgresError) -> [PostgresParameter] {
        var parameters: [PostgresParameter] = []
        parameters.reserveCapacity(values.count)
        func nul(_ index: Int) -> PostgresError {
            PostgresError(code: .queryFailed, sqlState: "22021", message: "parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot store")
        }
        for (index, value) in values.enumerated() {
            switch value {
            case .textElements(let elements):
                if elements.contains(where: { $0.map(containsNUL) == true }) { throw nul(index) }
                parameters.append(PostgresParameter(
                    bytes: PostgresTextArrayEncoding.encode(elements), type: PostgresTextArrayEncoding.textArrayOID, binary: true
                ))
            default:
                guard let text = value.postgresText else {
                    parameters.append(PostgresParameter(bytes: nil, type: 0, binary: false))
                    continue
                }
                if containsNUL(text) { throw nul(index) }
                parameters.append(PostgresParameter(bytes: Array(text.utf8) + [0], type: 0, binary: false))
            }
        }
        return parameters
    }

    /// Whether `text` holds a NUL byte, by `memchr` over its UTF-8: a sync batch passes megabytes of
    /// JSON, and iterating `utf8` byte by byte was 2.3 % of a first load's CPU (`perf`, P1).
    static func containsNUL(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0, bytes.count) != nil
        }
    }

    /// `elements` as a `text[]` literal: every non-NULL element double-quoted with `"` and `\`
    /// escaped, so empty strings, the string `"NULL"`, commas, braces and whitespace all survive.
    static func renderTextArray(_ elements: [String?]) -> String {
        // Built from UTF-8 bytes: `"` and `\` are ASCII, which no byte of a multi-byte UTF-8
        // sequence is, so escaping bytes escapes exactly those characters.
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var literal: [UInt8] = []
        literal.reserveCapacity(elements.reduce(2) { $0 + ($1?.utf8.count ?? 4) + 3 })
        literal.append(UInt8(ascii: "{"))
        for (index, element) in elements.enumerated() {
            if index > 0 {
                literal.append(UInt8(ascii: ","))
            }
            guard let element else {
                literal.append(contentsOf: "NULL".utf8)
                continue
            }
            literal.append(quote)
            for byte in element.utf8 {
                if byte == quote || byte == backslash {
                    literal.append(backslash)
                }
                literal.append(byte)
            }
            literal.append(quote)
        }
        literal.append(UInt8(ascii: "}"))
        return String(decoding: literal, as: UTF8.self)
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
