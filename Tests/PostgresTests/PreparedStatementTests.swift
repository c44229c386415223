import Postgres
import Testing

/// A statement with parameters is prepared once per session and survives what can take its prepared
/// form away: `DEALLOCATE`, a schema change of its result, a reconnection.
@Suite("Prepared statements")
struct PreparedStatementTests {
    /// The statements this session has prepared, as the server lists them.
    private func preparedCount(_ connection: PostgresConnection, matching text: String) throws -> Int {
        let rows = try connection.query("SELECT statement FROM pg_prepared_statements").rows
        return rows.filter { $0[0] == text }.count
    }

    /// A connection, a table `shapes` with one row, and a statement selecting `*` from it by id.
    private static func shapes(_ url: String) throws -> (PostgresConnection, String) {
        let connection = try PostgresConnection(url: url)
        try connection.execute("CREATE TABLE shapes (id integer PRIMARY KEY, name text)")
        try connection.execute("INSERT INTO shapes VALUES (1, 'one')")
        return (connection, "SELECT * FROM shapes WHERE id = $1::integer")
    }

    @Test func aStatementWithParametersIsPreparedOnceAndReused() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let sql = "SELECT $1::integer + 1 AS next"
            for value in 1...5 {
                #expect(try connection.query(sql, [.int(value)]).rows.first?["next"] == String(value + 1))
            }
            #expect(try preparedCount(connection, matching: sql) == 1)
        }
    }

    @Test func aStatementWithoutParametersIsNotPrepared() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let sql = "SELECT 41 + 1 AS answer"
            #expect(try connection.query(sql).rows.first?["answer"] == "42")
            #expect(try preparedCount(connection, matching: sql) == 0)
        }
    }

    @Test func aDeallocatedStatementIsPreparedAgain() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let sql = "SELECT $1::text || '!' AS shout"
            #expect(try connection.query(sql, [.text("a")]).rows.first?["shout"] == "a!")
            try connection.execute("DEALLOCATE ALL")
            #expect(try connection.query(sql, [.text("b")]).rows.first?["shout"] == "b!")
            #expect(try preparedCount(connection, matching: sql) == 1)
        }
    }

    @Test func aStatementWhoseResultChangedShapeRunsAgainOutsideATransaction() async throws {
        try await withTestDatabase { url in
            let (connection, sql) = try Self.shapes(url)
            #expect(try connection.query(sql, [.int(1)]).columns == ["id", "name"])
            try connection.execute("ALTER TABLE shapes ADD COLUMN extra text DEFAULT 'x'")
            let result = try connection.query(sql, [.int(1)])
            #expect(result.columns == ["id", "name", "extra"])
            #expect(result.rows.first?["extra"] == "x")
        }
    }

    @Test func insideATransactionAStaleStatementFailsAndIsPreparedAnewAfterIt() async throws {
        try await withTestDatabase { url in
            let (connection, sql) = try Self.shapes(url)
            _ = try connection.query(sql, [.int(1)])
            try connection.execute("ALTER TABLE shapes ADD COLUMN extra text")
            // Rerunning it inside the transaction could not undo the failed call, so the error is the caller's.
            let error = try #require(throws: PostgresError.self) {
                try connection.withTransaction { connection in try connection.query(sql, [.int(1)]) }
            }
            #expect(error.sqlState == "0A000")
            #expect(try connection.query(sql, [.int(1)]).columns == ["id", "name", "extra"])
        }
    }

    @Test func aReconnectedSessionPreparesItsStatementsAgain() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let admin = try PostgresConnection(url: url)
            let sql = "SELECT $1::integer * 2 AS twice"
            #expect(try connection.query(sql, [.int(2)]).rows.first?["twice"] == "4")
            try terminateBackend(connection.serverPID, using: admin)
            #expect(connection.resetIfBroken())
            #expect(try connection.query(sql, [.int(3)]).rows.first?["twice"] == "6")
            #expect(try preparedCount(connection, matching: sql) == 1)
        }
    }

    @Test func aStatementThatFailsToPrepareReportsItsErrorAndLeavesNothingBehind() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let sql = "SELECT * FROM no_such_table WHERE id = $1::integer"
            let error = try #require(throws: PostgresError.self) { try connection.query(sql, [.int(1)]) }
            #expect(error.sqlState == "42P01")
            try connection.execute("CREATE TABLE no_such_table (id integer)")
            try connection.execute("INSERT INTO no_such_table VALUES (1)")
            #expect(try connection.query(sql, [.int(1)]).rows.count == 1)
        }
    }
}
