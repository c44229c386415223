import struct Foundation.Date

extension PostgresValue {
    /// A `text[]` array literal, for batch statements such as `SELECT * FROM unnest($1::text[], $2::int8[])`.
    ///
    /// Every non-NULL element is double-quoted with `"` and `\` escaped, so empty strings, the string
    /// `"NULL"`, commas, braces and whitespace all survive; `nil` becomes an unquoted SQL NULL.
    public static func textArray(_ elements: [String?]) -> PostgresValue {
        var literal = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 {
                literal += ","
            }
            guard let element else {
                literal += "NULL"
                continue
            }
            literal += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" {
                    literal.unicodeScalars.append("\\")
                }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        return .text(literal + "}")
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
