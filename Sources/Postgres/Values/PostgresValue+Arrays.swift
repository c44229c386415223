import struct Foundation.Date

extension PostgresValue {
    /// A `text[]` parameter, for batch statements such as `SELECT * FROM unnest($1::text[], $2::int8[])`:
    /// sent in the binary array format, each element its length and its bytes (no escaping), typed
    /// `text[]`, so cast it to the array type the statement needs; `nil` elements are SQL NULL.
    public static func textArray(_ elements: [String?]) -> PostgresValue {
        .textElements(elements)
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
