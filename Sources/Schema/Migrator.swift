import Postgres

/// Applies ``SchemaMigrations/all`` to a database, once, even with several supervisors starting together.
///
/// Every migration runs in its own transaction together with its row in `schema_migrations`; a
/// session-level advisory lock serialises concurrent migrators so that two supervisors sharing one
/// database never apply the same migration twice.
public struct Migrator: Sendable {
    /// The advisory lock key that serialises migrators (arbitrary, fixed).
    static let lockKey = 7_310_001

    public let migrations: [Migration]

    public init(migrations: [Migration] = SchemaMigrations.all) {
        self.migrations = migrations
    }

    /// Applies every migration not applied yet and returns the versions it applied.
    @discardableResult
    public func migrate(_ connection: PostgresConnection) throws -> [Int] {
        _ = try connection.query("SELECT pg_advisory_lock($1)", [.int(Self.lockKey)])
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [.int(Self.lockKey)]) }
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let applied = Set(try connection.query("SELECT version FROM schema_migrations").rows.map {
            try $0.decode(Int.self, "version")
        })
        var newlyApplied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(migration.version) {
            try connection.withTransaction { connection in
                try connection.execute(migration.sql)
                _ = try connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                    [.int(migration.version), .text(migration.name)]
                )
            }
            newlyApplied.append(migration.version)
        }
        return newlyApplied
    }
}
