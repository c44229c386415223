/// The statements one connection has prepared on its server session, by their text and parameter types.
///
/// A statement sent with `PQexecParams` is parsed, analysed and planned on every call. On a session
/// that lives long (the supervisor's pool, a worker syncing again and again) that was as much work as
/// running the statements: under P6's fixed 1,000 requests/s, pg_stat_statements counted 1,496 ms of
/// planning against 1,369 ms of execution in 10 s; prepared, 56 ms of planning while the tenant synced
/// twice as often. A prepared statement is parsed once per session; the server plans it with each
/// call's values until a generic plan proves as cheap (`plan_cache_mode`'s default), as every driver
/// that prepares does. A session that runs a statement once (a tenant's first sync) gains nothing.
///
/// Only statements with bind parameters are prepared: a statement without any is usually built with an
/// identifier in its text (`CREATE ROLE "…"`), and its text would fill the cache. The cache stops growing
/// at ``capacity``; statements past it run unprepared. It lives as long as the server session: a
/// reconnection empties it.
struct PreparedStatements {
    /// The most statements kept on one session. The code has far fewer distinct statement texts.
    static let capacity = 256

    struct Key: Hashable {
        var sql: String
        var types: [UInt32]
    }

    private var names: [Key: String] = [:]
    private var issued = 0

    /// The server-side name `key` was prepared under, if it was.
    func name(of key: Key) -> String? {
        names[key]
    }

    /// A fresh name for `key`, or nil when the cache is full and `key` should run unprepared.
    mutating func reserveName(for key: Key) -> String? {
        guard names.count < Self.capacity else { return nil }
        issued += 1
        return "tenantsync_\(issued)"
    }

    /// Records that `key` is prepared under `name`.
    mutating func prepared(_ key: Key, as name: String) {
        names[key] = name
    }

    /// Forgets `key`, whose prepared statement the server no longer has or can no longer run as prepared.
    mutating func forget(_ key: Key) {
        names[key] = nil
    }

    /// Forgets everything: the server session they lived in is gone.
    mutating func removeAll() {
        names.removeAll()
    }
}
