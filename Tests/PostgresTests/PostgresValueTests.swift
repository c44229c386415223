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
        #expect(PostgresValue.textArray([]).postgresText == "{}")
        #expect(PostgresValue.textArray([nil]).postgresText == "{NULL}")
        #expect(PostgresValue.textArray(["", "NULL", nil]).postgresText == #"{"","NULL",NULL}"#)
        #expect(PostgresValue.textArray([#"a"b\c"#]).postgresText == #"{"a\"b\\c"}"#)
        #expect(PostgresValue.intArray([1, nil, -3]) == .text("{1,NULL,-3}"))
    }

    @Test("a text array goes in binary and casts to the array type the statement names; empty and NULL-only arrays too")
    func binaryTextArrayCasts() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let numbers = try connection.query("SELECT sum(n) AS s, count(*) AS c FROM unnest($1::bigint[]) AS n", [.textArray(["1", "-2", "9007199254740993", nil])])
            #expect(try numbers.rows.first?.decode(Int.self, "s") == 9_007_199_254_740_992)
            #expect(try numbers.rows.first?.decode(Int.self, "c") == 4)
            let json = try connection.query(
                "SELECT string_agg(j->>'a', ',' ORDER BY o) AS a FROM unnest($1::jsonb[]) WITH ORDINALITY AS t(j, o)",
                [.textArray([#"{"a": "x\"y"}"#, #"{"a": "Zürich ☃"}"#])]
            )
            #expect(json.rows.first?["a"] == #"x"y,Zürich ☃"#)
            #expect(try connection.query("SELECT cardinality($1::text[]) AS n", [.textArray([])]).rows.first?.decode(Int.self, "n") == 0)
            #expect(try connection.query("SELECT count(*) FILTER (WHERE v IS NULL) AS n FROM unnest($1::text[]) AS v", [.textArray([nil, nil])]).rows.first?.decode(Int.self, "n") == 2)
            // Beside text parameters, in any order.
            let mixed = try connection.query("SELECT $1 || ':' || array_to_string($2::text[], '|') || ':' || $3 AS m", ["a", .textArray(["b", "c"]), "d"])
            #expect(mixed.rows.first?["m"] == "a:b|c:d")
        }
    }

    @Test("a NUL byte in a text array element is refused before anything is sent, naming the parameter")
    func nulInTextArrayRefused() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            do {
                _ = try connection.query("SELECT $1, $2::text[]", ["a", .textArray(["ok", "bad\u{0}byte"])])
                Issue.record("a NUL byte went through")
            } catch let error as PostgresError {
                #expect(error.sqlState == "22021")
                #expect(error.message.contains("$2"))
            }
            #expect(try connection.query("SELECT 1 AS one").rows.first?["one"] == "1")
        }
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
