/// A worker thread's connection: opened on first use, checked before each use, reopened when broken.
///
/// Touched only by the thread that owns it.
final class PooledConnection {
    private let url: String
    private var connection: PostgresConnection?

    init(url: String) {
        self.url = url
    }

    /// Runs `body` on a healthy connection, then rolls back any transaction `body` left open.
    ///
    /// A body that fails because the connection broke is not retried: it may have run statements.
    /// The broken connection is noticed and reopened before the next body instead.
    func run<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try acquire()
        defer {
            connection.rollbackQuietly()
        }
        return try body(connection)
    }

    /// Closes the connection, if one is open.
    func close() {
        connection = nil
    }

    private func acquire() throws(PostgresError) -> PostgresConnection {
        if let connection {
            // Keep a connection that could not be reset: the next call resets it again.
            guard connection.resetIfBroken() else {
                throw PostgresError(code: .connectionFailed, message: connection.lastErrorMessage)
            }
            return connection
        }
        let opened = try PostgresConnection(url: url)
        connection = opened
        return opened
    }
}
