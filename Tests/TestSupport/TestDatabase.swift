import Foundation
import Postgres
import Schema

/// Throwaway PostgreSQL databases for integration tests, on the server named by `TENANTSYNC_TEST_DATABASE_URL`.
public enum TestDatabase {
    /// The admin URL of the test server; the test command (`make test`) starts one and sets it.
    public static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["TENANTSYNC_TEST_DATABASE_URL"], !url.isEmpty else {
            throw TestSupportError("TENANTSYNC_TEST_DATABASE_URL is not set: run the tests with `make test`, which starts a PostgreSQL server")
        }
        return url
    }

    /// Creates a uniquely named database (migrated unless told otherwise), runs `body` with its URL, then drops it.
    public static func withDatabase<T>(migrated: Bool = true, _ body: (String) async throws -> T) async throws -> T {
        let admin = try adminURL()
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let connection = try PostgresConnection(url: admin)
        try connection.execute("CREATE DATABASE \(name)")
        let url = replaceDatabase(in: admin, with: String(name))
        do {
            if migrated {
                let migrator = try PostgresConnection(url: url)
                try Migrator().migrate(migrator)
            }
            let result = try await body(url)
            try? connection.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            return result
        } catch {
            try? connection.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
    }

    /// Runs one query on `url` and returns its first column of the first row as an integer.
    public static func scalar(_ url: String, _ sql: String, _ parameters: [PostgresValue] = []) throws -> Int {
        let connection = try PostgresConnection(url: url)
        guard let row = try connection.query(sql, parameters).rows.first, let text = row[0], let value = Int(text) else {
            throw TestSupportError("query returned no integer: \(sql)")
        }
        return value
    }

    /// Runs one query on `url` and returns its first column of the first row as text (`""` for NULL).
    public static func text(_ url: String, _ sql: String, _ parameters: [PostgresValue] = []) throws -> String {
        let connection = try PostgresConnection(url: url)
        guard let row = try connection.query(sql, parameters).rows.first else {
            throw TestSupportError("query returned no row: \(sql)")
        }
        return row[0] ?? ""
    }

    /// `url` with its database name replaced.
    static func replaceDatabase(in url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }
}

/// A failure of a test fixture, with a message that says what to fix.
public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
