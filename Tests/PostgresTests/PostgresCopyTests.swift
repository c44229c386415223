import Postgres
import Testing

@Suite("COPY FROM STDIN")
struct PostgresCopyTests {
    static func row(_ id: Int) -> [PostgresValue] {
        let body: PostgresValue = switch id % 7 {
        case 0: .null
        case 1: .text("tab\there and\ttwice")
        case 2: .text("line one\nline two\r\nline three")
        case 3: .text(#"back\slash \N \\ end\"#)
        case 4: .text("")
        case 5: .text("🚀 Zürich \"quoted\" it's {a,b}")
        default: .text("plain \(id)")
        }
        return [.int(id), body, .bool(id.isMultiple(of: 2)), id % 5 == 0 ? .null : .double(Double(id) / 4)]
    }

    @Test func copiesTenThousandRowsWithEscapes() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE copied (id int PRIMARY KEY, body text, flag bool, amount float8)")
            let rows = (1...10_000).lazy.map(Self.row)
            let copied = try connection.copyFromStdin("COPY copied (id, body, flag, amount) FROM STDIN", rows: rows)
            #expect(copied == 10_000)

            let stored = try connection.query("SELECT id, body, flag, amount FROM copied ORDER BY id").rows
            #expect(stored.count == 10_000)
            var mismatches = 0
            for (index, row) in stored.enumerated() {
                let expected = Self.row(index + 1)
                let actual: [PostgresValue] = [
                    .int(try row.decode(Int.self, "id")), row["body"].map(PostgresValue.text) ?? .null,
                    .bool(try row.decode(Bool.self, "flag")), try row.decodeIfPresent(Double.self, "amount").map(PostgresValue.double) ?? .null,
                ]
                if actual != expected {
                    mismatches += 1
                    if mismatches <= 3 {
                        Issue.record("row \(index + 1): \(actual) != \(expected)")
                    }
                }
            }
            #expect(mismatches == 0)
        }
    }

    @Test func emptyCopyCopiesNothing() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE t (x text)")
            #expect(try connection.copyFromStdin("COPY t FROM STDIN", rows: [[PostgresValue]]()) == 0)
        }
    }

    @Test func aBadRowFailsTheWholeCopyWithItsSQLState() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE t (id int PRIMARY KEY)")
            let rows: [[PostgresValue]] = [[1], [2], ["not a number"], [4]]
            let error = try #require(throws: PostgresError.self) {
                try connection.copyFromStdin("COPY t (id) FROM STDIN", rows: rows)
            }
            #expect(error.code == .copyFailed)
            #expect(error.sqlState == "22P02")

            let duplicate = try #require(throws: PostgresError.self) {
                try connection.copyFromStdin("COPY t (id) FROM STDIN", rows: [[1], [1]])
            }
            #expect(duplicate.isUniqueViolation)
            #expect(try connection.query("SELECT count(*) FROM t").rows.first?[0] == "0")
        }
    }

    @Test func aNULByteAbortsTheCopyAndLeavesTheConnectionUsable() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE t (x text)")
            let rows: [[PostgresValue]] = [["fine"], ["bad\u{0}byte"]]
            let error = try #require(throws: PostgresError.self) { try connection.copyFromStdin("COPY t FROM STDIN", rows: rows) }
            #expect(error.code == .copyFailed)
            #expect(try connection.query("SELECT count(*) FROM t").rows.first?[0] == "0")
        }
    }

    @Test func aMissingTableIsReportedBeforeAnyData() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let error = try #require(throws: PostgresError.self) {
                try connection.copyFromStdin("COPY nope FROM STDIN", rows: [["x"]])
            }
            #expect(error.code == .copyFailed)
            #expect(error.sqlState == "42P01")
            #expect(try connection.query("SELECT 1").rows.count == 1)
        }
    }
}
