import Foundation
import Postgres
import Testing

@Suite("PostgresValue")
struct PostgresValueTests {
    static let nastyStrings: [String?] = [
        "plain", "", " ", "NULL", "null", nil, "with,comma", "{braces}", "}", "{", "\"", "\"quoted\"",
        "back\\slash", "\\", "\\\\", "ends with backslash\\", "it's", "tab\there", "new\nline", "cr\rhere",
        "  leading and trailing  ", "🚀 unicode Zürich ☃", "a\"b\\c,d{e}f", "\\N", "ARRAY[1]", "(1,2)",
    ]

    @Test func textArrayLiteralQuotesEveryElement() {
        #expect(PostgresValue.textArray([]) == .text("{}"))
        #expect(PostgresValue.textArray([nil]) == .text("{NULL}"))
        #expect(PostgresValue.textArray(["", "NULL", nil]) == .text(#"{"","NULL",NULL}"#))
        #expect(PostgresValue.textArray([#"a"b\c"#]) == .text(#"{"a\"b\\c"}"#))
        #expect(PostgresValue.intArray([1, nil, -3]) == .text("{1,NULL,-3}"))
    }

    @Test func textArrayRoundTripsThroughUnnest() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let result = try connection.query(
                "SELECT value FROM unnest($1::text[]) WITH ORDINALITY AS t(value, position) ORDER BY position",
                [.textArray(Self.nastyStrings)]
            )
            #expect(result.rows.map { $0["value"] } == Self.nastyStrings)
            let count = try connection.query("SELECT cardinality($1::text[])", [.textArray(Self.nastyStrings)])
            #expect(try count.rows.first?.decode(Int.self, at: 0) == Self.nastyStrings.count)
        }
    }

    @Test func arraysDriveAnUnnestBatchUpsert() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE kv (id int8 PRIMARY KEY, value text)")
            let ids = Array(1...Self.nastyStrings.count)
            let upsert = """
                INSERT INTO kv (id, value) SELECT * FROM unnest($1::int8[], $2::text[])
                ON CONFLICT (id) DO UPDATE SET value = excluded.value
                """
            #expect(try connection.query(upsert, [.intArray(ids), .textArray(Self.nastyStrings)]).affectedRows == ids.count)
            #expect(try connection.query(upsert, [.intArray(ids), .textArray(Self.nastyStrings)]).affectedRows == ids.count)
            let stored = try connection.query("SELECT value FROM kv ORDER BY id").rows.map { $0["value"] }
            #expect(stored == Self.nastyStrings)
        }
    }

    @Test func timestampParameterRoundTrips() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let date = Date(timeIntervalSince1970: 1_795_364_369.123456)
            let row = try #require(
                try connection.query("SELECT $1::timestamptz AS t, extract(epoch FROM $1::timestamptz)::float8 AS e", [.timestamp(date)]).rows.first
            )
            #expect(abs(try row.decode(Double.self, "e") - 1_795_364_369.123456) < 1e-6)
            #expect(abs(try row.decode(Date.self, "t").timeIntervalSince(date)) < 1e-6)
        }
    }
}
