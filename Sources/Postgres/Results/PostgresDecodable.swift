import struct Foundation.Date

/// A type that can be built from a column's text output.
///
/// Conform your own types by implementing ``init(postgresText:)``; only optionals accept NULL.
public protocol PostgresDecodable {
    /// Parses the server's text output for a non-NULL value.
    init(postgresText: String) throws(PostgresError)

    /// The value for SQL NULL. The default throws; `Optional` returns `nil`.
    static func postgresNull() throws(PostgresError) -> Self
}

extension PostgresDecodable {
    public static func postgresNull() throws(PostgresError) -> Self {
        throw PostgresError(code: .decodingFailed, message: "NULL cannot be decoded as non-optional \(Self.self)")
    }

    /// The error for text that is not a valid `Self`; the text itself is left out as it may be private data.
    static func invalidText() -> PostgresError {
        PostgresError(code: .decodingFailed, message: "text is not a valid \(Self.self)")
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText: String) throws(PostgresError) {
        self = .some(try Wrapped(postgresText: postgresText))
    }

    public static func postgresNull() throws(PostgresError) -> Wrapped? {
        nil
    }
}

extension String: PostgresDecodable {
    public init(postgresText: String) {
        self = postgresText
    }
}

extension Int: PostgresDecodable {
    public init(postgresText: String) throws(PostgresError) {
        guard let value = Int(postgresText) else {
            throw Self.invalidText()
        }
        self = value
    }
}

extension Int64: PostgresDecodable {
    public init(postgresText: String) throws(PostgresError) {
        guard let value = Int64(postgresText) else {
            throw Self.invalidText()
        }
        self = value
    }
}

extension Int32: PostgresDecodable {
    public init(postgresText: String) throws(PostgresError) {
        guard let value = Int32(postgresText) else {
            throw Self.invalidText()
        }
        self = value
    }
}

extension Int16: PostgresDecodable {
    public init(postgresText: String) throws(PostgresError) {
        guard let value = Int16(postgresText) else {
            throw Self.invalidText()
        }
        self = value
    }
}

extension Double: PostgresDecodable {
    /// Accepts float and numeric output, including `NaN`, `Infinity` and `-Infinity`.
    public init(postgresText: String) throws(PostgresError) {
        switch postgresText {
        case "NaN":
            self = .nan
        case "Infinity":
            self = .infinity
        case "-Infinity":
            self = -.infinity
        default:
            guard let value = Double(postgresText) else {
                throw Self.invalidText()
            }
            self = value
        }
    }
}

extension Bool: PostgresDecodable {
    /// Accepts `t`/`f`, the server's boolean output, and `true`/`false`.
    public init(postgresText: String) throws(PostgresError) {
        switch postgresText {
        case "t", "true":
            self = true
        case "f", "false":
            self = false
        default:
            throw Self.invalidText()
        }
    }
}

extension Date: PostgresDecodable {
    /// Accepts `timestamptz` output in the ISO DateStyle (`2026-11-22 16:19:29.123456+00`, any offset),
    /// `timestamp` (read as UTC), `date` (midnight UTC) and `infinity`/`-infinity`.
    public init(postgresText: String) throws(PostgresError) {
        guard let date = PostgresTimestamp.parse(postgresText) else {
            throw Self.invalidText()
        }
        self = date
    }
}
