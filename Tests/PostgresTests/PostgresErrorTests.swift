import Postgres
import Testing

@Suite("PostgresError")
struct PostgresErrorTests {
    @Test func carriesTheSQLStateOfAMissingTable() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            let error = try #require(throws: PostgresError.self) { try connection.query("SELECT * FROM no_such_table") }
            #expect(error.code == .queryFailed)
            #expect(error.sqlState == "42P01")
            #expect(error.message.contains("no_such_table"))
            #expect(error.description.contains("42P01"))
            #expect(error.description.contains("queryFailed"))
            #expect(!error.isConnectionError)
            #expect(try connection.query("SELECT 1").rows.count == 1)
        }
    }

    @Test func recognisesAUniqueViolation() async throws {
        try await withTestDatabase { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE u (id int PRIMARY KEY)")
            try connection.query("INSERT INTO u VALUES ($1)", [1])
            let error = try #require(throws: PostgresError.self) { try connection.query("INSERT INTO u VALUES ($1)", [1]) }
            #expect(error.isUniqueViolation)
            #expect(error.sqlState == "23505")
            #expect(!error.isSerializationFailure)
        }
    }

    @Test(arguments: [
        "postgresql://postgres:supersecret@127.0.0.1:1/postgres?connect_timeout=5",
        "host=127.0.0.1 port=1 user=postgres password=supersecret dbname=postgres connect_timeout=5",
        "postgresql://postgres@127.0.0.1:1/postgres?password=supersecret&connect_timeout=5",
    ])
    func connectionFailureNeverShowsThePassword(url: String) throws {
        let error = try #require(throws: PostgresError.self) { try PostgresConnection(url: url) }
        #expect(error.code == .connectionFailed)
        #expect(error.isConnectionError)
        #expect(!error.message.isEmpty)
        #expect(!error.description.contains("supersecret"))
        #expect(!error.description.contains(url))
    }

    @Test func malformedConninfoNeverShowsThePassword() throws {
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(url: "host=127.0.0.1 password=supersecret bogus_option=1")
        }
        #expect(error.code == .connectionFailed)
        #expect(!error.description.contains("supersecret"))
    }

    @Test func classifiesConnectionStates() {
        #expect(PostgresError(code: .queryFailed, sqlState: "08006", message: "").isConnectionError)
        #expect(PostgresError(code: .queryFailed, sqlState: "57P01", message: "").isConnectionError)
        #expect(PostgresError(code: .connectionLost, message: "").isConnectionError)
        #expect(!PostgresError(code: .queryFailed, sqlState: "23505", message: "").isConnectionError)
        #expect(PostgresError(code: .queryFailed, sqlState: "40001", message: "").isSerializationFailure)
    }
}
