/// A `text[]` parameter in PostgreSQL's binary array format (what `array_recv` reads).
///
/// Sync batches pass up to megabytes of JSON as one array per column. In the text format
/// (`{"…","…"}`) every element is quoted and escaped by the client and unescaped by the server's
/// `array_in` one character at a time: 7 % of PostgreSQL's CPU in a 100,000-booking first load
/// (`perf`, P1). In the binary format each element is its length and its bytes, copied as they are.
enum PostgresTextArrayEncoding {
    /// PostgreSQL's type OIDs for `text` and `text[]` (`pg_type`), fixed since the catalog began.
    static let textOID: UInt32 = 25
    static let textArrayOID: UInt32 = 1009

    /// One dimension, lower bound 1, `text` elements; `nil` elements are SQL NULL. An empty array
    /// has no dimension, as `array_send` writes it.
    static func encode(_ elements: [String?]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20 + elements.reduce(0) { $0 + 4 + ($1?.utf8.count ?? 0) })
        let hasNulls = elements.contains { $0 == nil }
        append(Int32(elements.isEmpty ? 0 : 1), to: &bytes)
        append(Int32(hasNulls ? 1 : 0), to: &bytes)
        append(Int32(bitPattern: textOID), to: &bytes)
        if !elements.isEmpty {
            append(Int32(elements.count), to: &bytes)
            append(Int32(1), to: &bytes)
        }
        for element in elements {
            guard var text = element else {
                append(Int32(-1), to: &bytes)
                continue
            }
            text.withUTF8 { utf8 in
                append(Int32(utf8.count), to: &bytes)
                bytes.append(contentsOf: utf8)
            }
        }
        return bytes
    }

    private static func append(_ value: Int32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
