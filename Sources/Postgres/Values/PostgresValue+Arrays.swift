import struct Foundation.Date

extension PostgresValue {
    /// A `text[]` array literal, for batch statements such as `SELECT * FROM unnest($1::text[], $2::int8[])`.
    ///
    /// Every non-NULL element is double-quoted with `"` and `\` escaped, so empty strings, the string
    /// `"NULL"`, commas, braces and whitespace all survive; `nil` becomes an unquoted SQL NULL.
    public static func textArray(_ elements: [String?]) -> PostgresValue {
        // Built from UTF-8 bytes, not scalar by scalar: a sync's batches pass up to megabytes of JSON
        // this way. `"` and `\` are ASCII, which no byte of a multi-byte UTF-8 sequence is, so
        // escaping bytes escapes exactly those characters.
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
        return .text(String(decoding: literal, as: UTF8.self))
    }

    /// An integer array literal (`{1,NULL,3}`), for `$1::int8[]` and similar casts.
    public static func intArray(_ elements: [Int?]) -> PostgresValue {
        let items = elements.map { $0.map(String.init) ?? "NULL" }
        return .text("{" + items.joined(separator: ",") + "}")
    }

    /// A `timestamptz` in UTC with microseconds (`2026-11-22 16:19:29.123456+00`).
    public static func timestamp(_ date: Date) -> PostgresValue {
        .text(PostgresTimestamp.format(date))
    }
}
