import Postgres
import Testing

@Suite("Transactions")
struct PostgresTransactionTests {
    struct Boom: Error {}

    @Test func commitsWhenTheBodyReturns() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE t (x int)")
            let value = try connection.withTransaction { transaction in
                try transaction.query("INSERT INTO t VALUES ($1), ($2)", [1, 2])
                return "done"
            }
            #expect(value == "done")
            let other = try PostgresConnection(url: url)
            #expect(try other.query("SELECT count(*) FROM t").rows.first?[0] == "2")
        }
    }

    @Test func rollsBackWhenTheBodyThrows() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE t (x int)")
            #expect(throws: Boom.self) {
                try connection.withTransaction { transaction in
                    try transaction.query("INSERT INTO t VALUES (1)")
                    throw Boom()
                }
            }
            #expect(try connection.query("SELECT count(*) FROM t").rows.first?[0] == "0")
            #expect(try connection.query("SELECT 1").rows.count == 1)
        }
    }

    @Test func aSwallowedStatementErrorStillFailsTheCommit() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE t (x int PRIMARY KEY)")
            let error = try #require(throws: PostgresError.self) {
                try connection.withTransaction { transaction in
                    try transaction.query("INSERT INTO t VALUES (1)")
                    _ = try? transaction.query("INSERT INTO t VALUES (1)")
                }
            }
            #expect(error.sqlState == "25P02")
            #expect(try connection.query("SELECT count(*) FROM t").rows.first?[0] == "0")
        }
    }
}
