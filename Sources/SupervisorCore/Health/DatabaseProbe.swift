import Foundation
import Postgres
import Schema

/// Whether the database answers and has every migration this build knows, for `GET /ready` and for
/// syncs that wait for the database to come back before they are retried.
///
/// It has its own database connection (with a connect timeout), so a probe never queues behind run
/// bookkeeping and an unreachable server is reported within seconds.
final class DatabaseProbe: Sendable {
    private let database: PostgresClient
    private let migrations: Set<Int>

    /// Seconds a connection attempt of the probe may take.
    static let connectTimeout = 3

    init(databaseURL: String, migrations: [Migration] = SchemaMigrations.all) {
        self.database = PostgresClient(url: Self.withConnectTimeout(databaseURL, seconds: Self.connectTimeout), maximumConnections: 1)
        self.migrations = Set(migrations.map(\.version))
    }

    deinit {
        database.shutdown()
    }

    /// Whether the database answers now.
    func isReachable() async -> Bool {
        await problem() == nil
    }

    /// The database's problem, if any: `database unreachable: …`, or `migrations not applied: …`.
    func problem() async -> String? {
        var applied: Set<Int>?
        var failure: (any Error)?
        // A connection the server closed (a restart) is noticed by the first statement: try once more.
        for _ in 0..<2 {
            do {
                applied = try await database.withConnection { connection in
                    Set(try connection.query("SELECT version FROM schema_migrations").rows.map { try $0.decode(Int.self, "version") })
                }
                break
            } catch {
                failure = error
                guard (error as? PostgresError)?.isConnectionError == true else { break }
            }
        }
        guard let applied else {
            guard let error = failure as? PostgresError else { return "database check failed: \(failure.map { "\($0)" } ?? "unknown error")" }
            if error.isConnectionError { return "database unreachable: \(error.message)" }
            if error.sqlState == "42P01" { return "migrations not applied: no schema_migrations table" }
            return "database check failed: \(error)"
        }
        let pending = migrations.subtracting(applied).sorted()
        guard pending.isEmpty else {
            return "migrations not applied: \(pending.count) pending (versions \(pending.map(String.init).joined(separator: ", ")))"
        }
        return nil
    }

    /// `url` with libpq's `connect_timeout` set unless it already is (URL or key=value conninfo).
    static func withConnectTimeout(_ url: String, seconds: Int) -> String {
        guard !url.contains("connect_timeout") else { return url }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            guard var components = URLComponents(string: url) else { return url }
            components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "connect_timeout", value: "\(seconds)")]
            return components.string ?? url
        }
        return url + " connect_timeout=\(seconds)"
    }
}
