import Foundation
import Postgres

/// The admin URL of the PostgreSQL server integration tests run against.
enum TestDatabase {
    static let environmentVariable = "TENANTSYNC_TEST_DATABASE_URL"

    struct NotConfigured: Error, CustomStringConvertible {
        var description: String {
            "\(TestDatabase.environmentVariable) is not set: PostgresTests need a PostgreSQL server, e.g. "
                + "\(TestDatabase.environmentVariable)=postgresql://postgres@127.0.0.1:5432/postgres"
        }
    }

    static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[environmentVariable], !url.isEmpty else {
            throw NotConfigured()
        }
        return url
    }

    /// Runs the fixture's CREATE/DROP DATABASE on dedicated threads, shared by all tests in the process.
    ///
    /// Several connections let concurrent DROPs share the checkpoint each one waits for.
    ///
    /// Several connections let concurrent DROPs share the checkpoint each one waits for.
    static func adminClient() throws -> PostgresClient {
        guard let client = sharedAdminClient else {
            throw NotConfigured()
        }
        return client
    }

    private static let sharedAdminClient: PostgresClient? = try? PostgresClient(url: adminURL(), maximumConnections: 8)

    /// `url` pointed at another database, for both URL and `key=value` forms.
    static func url(_ url: String, database: String) -> String {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"), var components = URLComponents(string: url) {
            components.path = "/" + database
            return components.string ?? url
        }
        // In conninfo the last occurrence of a keyword wins.
        return url + " dbname=" + database
    }
}

/// Creates a uniquely named database, runs `body` with its URL, and drops it again, even if `body` throws.
///
/// Fails (throws) when ``TestDatabase/environmentVariable`` is unset rather than skipping.
func withTestDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
    let adminURL = try TestDatabase.adminURL()
    let admin = try TestDatabase.adminClient()
    let name = "tenantsync_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    // The name is generated above, never data, so it can be part of the SQL.
    try await admin.withConnection { try $0.execute("CREATE DATABASE \(name)") }
    let result: T
    do {
        result = try await body(TestDatabase.url(adminURL, database: name))
    } catch {
        _ = try? await admin.withConnection { try $0.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        throw error
    }
    try await admin.withConnection { try $0.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    return result
}
