import Foundation
import Postgres
import Schema
import Support

/// Throwaway PostgreSQL databases for integration tests, on the server named by `TENANTSYNC_TEST_DATABASE_URL`.
///
/// Every call into libpq here runs on a thread of its own (``offPool(name:_:)``): the tests share one
/// process, whose cooperative pool has one thread per core, with in-process supervisors and demo
/// upstreams. A `CREATE DATABASE` waits its turn behind the other tests' on the server, so a blocking
/// one on the pool would stall every supervisor in the process for as long, and their liveness checks
/// and idle timers would see workers that are fine as stuck.
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
        let url = replaceDatabase(in: admin, with: String(name))
        let drop: @Sendable () async -> Void = {
            _ = try? await offPool(name: "test-db") { () throws -> Void in
                // Roles are cluster-wide: the tenant roles issued in this database go with it.
                let roles = (try? Self.tenantRoles(url)) ?? []
                let server = try PostgresConnection(url: admin)
                try server.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                for role in roles {
                    // DROP ROLE takes no parameters: the server quotes the name.
                    let quoted = try server.query("SELECT format('DROP ROLE IF EXISTS %I', $1::text) AS sql", [.text(role)]).rows.first?["sql"]
                    if let statement = quoted ?? nil { try? server.execute(statement) }
                }
            }
        }
        do {
            try await offPool(name: "test-db") { () throws -> Void in
                try PostgresConnection(url: admin).execute("CREATE DATABASE \(name)")
                if migrated { try Migrator().migrate(try PostgresConnection(url: url)) }
            }
            let result = try await body(url)
            await drop()
            return result
        } catch {
            await drop()
            throw error
        }
    }

    /// The login roles issued for the tenants of the database at `url` (none before its migrations).
    static func tenantRoles(_ url: String) throws -> [String] {
        let connection = try PostgresConnection(url: url)
        guard try connection.query("SELECT to_regclass('public.tenant_roles') IS NOT NULL AS present").rows.first?["present"] == "t" else { return [] }
        return try connection.query("SELECT role_name FROM tenant_roles").rows.compactMap { $0["role_name"] }
    }

    /// Runs one query on `url` and returns its first column of the first row as an integer.
    public static func scalar(_ url: String, _ sql: String, _ parameters: [PostgresValue] = []) async throws -> Int {
        try await offPool(name: "test-db") { () throws -> Int in
            let connection = try PostgresConnection(url: url)
            guard let row = try connection.query(sql, parameters).rows.first, let text = row[0], let value = Int(text) else {
                throw TestSupportError("query returned no integer: \(sql)")
            }
            return value
        }
    }

    /// Runs one query on `url` and returns its first column of the first row as text (`""` for NULL).
    public static func text(_ url: String, _ sql: String, _ parameters: [PostgresValue] = []) async throws -> String {
        try await offPool(name: "test-db") { () throws -> String in
            let connection = try PostgresConnection(url: url)
            guard let row = try connection.query(sql, parameters).rows.first else {
                throw TestSupportError("query returned no row: \(sql)")
            }
            return row[0] ?? ""
        }
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
