/// One versioned, forward-only change to the database schema.
public struct Migration: Sendable {
    /// Strictly increasing version number; recorded in `schema_migrations` once applied.
    public var version: Int
    /// A short name for logs and the migrations table.
    public var name: String
    /// The SQL to run, possibly several statements, inside one transaction.
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
