import Foundation
import Postgres
import Testing

@Suite("PostgresDecodable")
struct PostgresDecodableTests {
    @Test func decodesScalarTypes() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let row = try #require(
                try connection.query(
                    """
                    SELECT 42::int4 AS int4, 9000000000::int8 AS int8, -7::int2 AS int2, 'hé'::text AS text,
                           true AS yes, false AS no, 0.1::float8 AS double, 12.50::numeric AS numeric,
                           'NaN'::float8 AS nan, '-Infinity'::float8 AS minus_infinity, NULL::int AS missing
                    """
                ).rows.first
            )
            #expect(try row.decode(Int.self, "int4") == 42)
            #expect(try row.decode(Int32.self, "int4") == 42)
            #expect(try row.decode(Int64.self, "int8") == 9_000_000_000)
            #expect(try row.decode(Int16.self, "int2") == -7)
            #expect(try row.decode(String.self, "text") == "hé")
            #expect(try row.decode(Bool.self, "yes") == true)
            #expect(try row.decode(Bool.self, "no") == false)
            #expect(try row.decode(Double.self, "double") == 0.1)
            #expect(try row.decode(Double.self, "numeric") == 12.5)
            #expect(try row.decode(Double.self, "nan").isNaN)
            #expect(try row.decode(Double.self, "minus_infinity") == -.infinity)
            #expect(try row.decode(Int?.self, "missing") == nil)
            #expect(try row.decodeIfPresent(Int.self, "missing") == nil)
            #expect(try row.decode(Int?.self, "int4") == 42)
            #expect(try row.decodeIfPresent(String.self, "text") == "hé")
        }
    }

    @Test func decodingErrorsNameTheColumnButNotTheValue() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let row = try #require(try connection.query("SELECT 'secret-value' AS word, NULL::int AS missing").rows.first)

            let notAnInt = try #require(throws: PostgresError.self) { try row.decode(Int.self, "word") }
            #expect(notAnInt.code == .decodingFailed)
            #expect(notAnInt.message.contains("word"))
            #expect(!notAnInt.description.contains("secret-value"))

            let null = try #require(throws: PostgresError.self) { try row.decode(Int.self, "missing") }
            #expect(null.code == .decodingFailed)

            let noColumn = try #require(throws: PostgresError.self) { try row.decode(String.self, "nope") }
            #expect(noColumn.code == .decodingFailed)
            #expect(throws: PostgresError.self) { try row.decode(Bool.self, "word") }
        }
    }

    @Test(arguments: ["UTC", "Asia/Kolkata", "America/St_Johns", "Europe/Amsterdam", "Pacific/Chatham"])
    func decodesTimestamptzInAnySessionTimeZone(timeZone: String) async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            _ = try connection.query("SELECT set_config('TimeZone', $1, false)", [.text(timeZone)])
            let instants = [
                "2026-11-22 16:19:29.123456+00", "2026-11-22 16:19:29+00", "1969-07-20 20:17:40.5+00",
                "1900-01-01 00:00:00+00", "2000-02-29 23:59:59.999999+00", "0044-03-15 12:00:00+00 BC",
            ]
            for instant in instants {
                let row = try #require(
                    try connection.query(
                        "SELECT $1::timestamptz AS t, extract(epoch FROM $1::timestamptz)::float8 AS epoch", [.text(instant)]
                    ).rows.first
                )
                let date = try row.decode(Date.self, "t")
                let epoch = try row.decode(Double.self, "epoch")
                #expect(abs(date.timeIntervalSince1970 - epoch) < 1e-6, "\(instant) printed as \(row["t"] ?? "") in \(timeZone)")
            }
        }
    }

    @Test func decodesDateTimestampAndInfinity() throws {
        #expect(abs(try Date(postgresText: "2026-11-22 16:19:29.123456+00").timeIntervalSince1970 - 1_795_364_369.123456) < 1e-6)
        #expect(try Date(postgresText: "2026-11-22 16:19:29").timeIntervalSince1970 == 1_795_364_369)
        #expect(try Date(postgresText: "2026-11-22").timeIntervalSince1970 == 1_795_305_600)
        #expect(try Date(postgresText: "2026-11-22 21:49:29+05:30").timeIntervalSince1970 == 1_795_364_369)
        #expect(try Date(postgresText: "infinity") == .distantFuture)
        #expect(throws: PostgresError.self) { try Date(postgresText: "22/11/2026") }
        #expect(throws: PostgresError.self) { try Date(postgresText: "2026-13-01") }
    }
}
