/// Runs blocking libpq work for async code on a small pool of dedicated threads, never on Swift's cooperative pool.
///
/// Each of up to `maximumConnections` threads owns one ``PostgresConnection`` to `url`, opened on its
/// first job. Before each job the thread checks its connection and reopens it if the server closed it
/// (a restart, `pg_terminate_backend`). A body that fails because the connection broke mid-way is
/// **not** retried, since it may already have changed data; its error has
/// ``PostgresError/isConnectionError`` set, and the next `withConnection` call gets a fresh connection.
public final class PostgresClient: Sendable {
    private let pool: WorkerPool

    /// Creates a client; no thread or connection starts until the first ``withConnection(_:)``.
    ///
    /// - Parameters:
    ///   - url: A `postgresql://` URL or `key=value` conninfo; never included in errors.
    ///   - maximumConnections: The number of threads, and so of server connections, at most (at least 1).
    public init(url: String, maximumConnections: Int = 4) {
        pool = WorkerPool(url: url, maximumThreads: maximumConnections, threadNamePrefix: "tenantsync-pg")
    }

    deinit {
        pool.shutdown()
    }

    /// Runs `body` with a connection on one of the client's threads and returns its result.
    ///
    /// Calls queue in order when every connection is busy. Any transaction `body` leaves open is rolled back.
    /// The body blocks its thread, so keep it to database work. Cancelling the task does not interrupt a
    /// body that has started.
    /// - Throws: what `body` throws; ``PostgresError/Code/connectionFailed`` when no connection could be
    ///   opened; ``PostgresError/Code/clientShutdown`` after ``shutdown()``.
    public func withConnection<T: Sendable>(
        _ body: @Sendable @escaping (PostgresConnection) throws -> T
    ) async throws -> T {
        try Task.checkCancellation()
        return try await withCheckedThrowingContinuation { continuation in
            let job = WorkerPool.Job(
                run: { connection in
                    continuation.resume(with: Result { try connection.run(body) })
                },
                cancel: { error in
                    continuation.resume(throwing: error)
                }
            )
            do {
                try pool.submit(job)
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Stops the client: queued calls fail with ``PostgresError/Code/clientShutdown`` and each thread
    /// closes its connection and exits once its current body returns. Does not wait for that.
    public func shutdown() {
        pool.shutdown()
    }
}
