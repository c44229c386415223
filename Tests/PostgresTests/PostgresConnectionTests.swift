import Foundation
import Postgres
import Testing

@Suite("PostgresConnection")
struct PostgresConnectionTests {
    @Test func connectsAndRunsASimpleQuery() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            #expect(connection.isConnected)
            #expect(connection.serverPID > 0)
            let result = try connection.query("SELECT 1 AS one, 'two' AS two, NULL::text AS three")
            #expect(result.columns == ["one", "two", "three"])
            #expect(result.rows.count == 1)
            #expect(result.affectedRows == 1)
            let row = try #require(result.rows.first)
            #expect(row["one"] == "1")
            #expect(row[1] == "two")
            #expect(row["three"] == nil)
            #expect(row["missing"] == nil)
            #expect(row[7] == nil)
        }
    }

    @Test func acceptsKeyValueConninfo() async throws {
        try await withTestDatabase { url in
            let expected = try PostgresConnection(url: url).query("SELECT current_database()").rows.first?[0]
            var conninfo = url
            if let components = URLComponents(string: url), components.scheme?.hasPrefix("postgres") == true {
                conninfo = "host=\(components.host ?? "127.0.0.1") dbname=\(components.path.dropFirst())"
                if let port = components.port {
                    conninfo += " port=\(port)"
                }
                if let user = components.user {
                    conninfo += " user=\(user)"
                }
            }
            let connection = try PostgresConnection(url: conninfo)
            #expect(try connection.query("SELECT current_database()").rows.first?[0] == expected)
        }
    }

    @Test func clientEncodingIsUTF8() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            #expect(try connection.query("SHOW client_encoding").rows.first?[0] == "UTF8")
        }
    }

    @Test func bindsParametersOfEveryKind() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let text = "O'Brien said \"hi\" \\ 🚀 Zürich ☃ \t tab\nnewline; DROP TABLE x; --"
            let result = try connection.query(
                """
                SELECT $1::text AS text, $2::int8 AS int, $3::float8 AS double, $4::bool AS bool,
                       $5::text IS NULL AS is_null, $6::bytea AS bytes, $7::jsonb ->> 'k' AS json,
                       $8::float8 AS small, $9::float8 = 'Infinity' AS infinite, $10::int8 AS negative
                """,
                [
                    .text(text), .int(Int.max), .double(1.5), .bool(true),
                    .null, .bytes([0, 1, 0xAB, 0xFF]), .text(#"{"k": "välue"}"#),
                    .double(1e-5), .double(.infinity), .int(Int.min),
                ]
            )
            let row = try #require(result.rows.first)
            #expect(row["text"] == text)
            #expect(try row.decode(Int.self, "int") == Int.max)
            #expect(try row.decode(Double.self, "double") == 1.5)
            #expect(try row.decode(Bool.self, "bool") == true)
            #expect(row["is_null"] == "t")
            #expect(row["bytes"] == #"\x0001abff"#)
            #expect(row["json"] == "välue")
            #expect(try row.decode(Double.self, "small") == 1e-5)
            #expect(row["infinite"] == "t")
            #expect(try row.decode(Int.self, "negative") == Int.min)
        }
    }

    @Test func literalConveniences() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let name = "world"
            let row = try #require(
                try connection.query(
                    "SELECT $1::text, $2::int, $3::float8, $4::bool, $5::text IS NULL, $6::text",
                    ["plain", 42, 2.25, false, nil, "hello \(name)"]
                ).rows.first
            )
            #expect(row.values == ["plain", "42", "2.25", "f", "t", "hello world"])
        }
    }

    @Test func rejectsNULBytesInParameters() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let error = try #require(throws: PostgresError.self) {
                try connection.query("SELECT $1::text", [.text("a\u{0}b")])
            }
            #expect(error.code == .queryFailed)
            #expect(try connection.query("SELECT 1").rows.count == 1)
        }
    }

    @Test func executeRunsSeveralStatementsAndReportsAffectedRows() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute(
                """
                CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
                INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c');
                """
            )
            let updated = try connection.query("UPDATE items SET name = $1 WHERE id >= $2", ["z", 2])
            #expect(updated.affectedRows == 2)
            #expect(updated.rows.isEmpty)
            let names = try connection.query("SELECT name FROM items ORDER BY id").rows.map { $0["name"] }
            #expect(names == ["a", "z", "z"])
            try connection.execute("")
        }
    }

    @Test func copyThroughQueryIsRejectedAndTheConnectionStaysUsable() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE t (x int)")
            #expect(throws: PostgresError.self) { try connection.query("COPY t FROM STDIN") }
            #expect(throws: PostgresError.self) { try connection.execute("COPY t TO STDOUT") }
            #expect(try connection.query("SELECT count(*) FROM t").rows.first?[0] == "0")
        }
    }

    @Test func resetIfBrokenReconnectsAfterTheBackendIsTerminated() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let admin = try PostgresConnection(url: url)
            let oldPID = connection.serverPID
            try terminateBackend(oldPID, using: admin)
            #expect(connection.resetIfBroken())
            #expect(connection.isConnected)
            #expect(connection.serverPID != oldPID)
            #expect(try connection.query("SELECT 1").rows.count == 1)
        }
    }

    @Test func aStatementOnATerminatedBackendIsAConnectionError() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let admin = try PostgresConnection(url: url)
            try terminateBackend(connection.serverPID, using: admin)
            let error = try #require(throws: PostgresError.self) { try connection.query("SELECT 1") }
            #expect(error.isConnectionError)
            #expect(!connection.isConnected)
            #expect(connection.resetIfBroken())
            #expect(try connection.query("SELECT 1").rows.count == 1)
        }
    }
}

/// Terminates a backend and waits until its process has exited, so its socket is closed.
///
/// With a timeout, `pg_terminate_backend` (PostgreSQL 14 and later) itself waits for the backend's
/// process to be gone, returning `false` with a warning if the deadline passes first.
func terminateBackend(_ pid: Int32, using admin: PostgresConnection) throws {
    let terminated = try admin.query("SELECT pg_terminate_backend($1::integer, 10000::bigint)", [.int(Int(pid))])
    if terminated.rows.first?[0] != "t" {
        Issue.record("backend \(pid) did not exit within 10 s")
    }
}
