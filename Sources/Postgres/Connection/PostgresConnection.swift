import CPostgres

/// One blocking libpq connection.
///
/// Not thread-safe: use it from one thread at a time. Every call blocks the calling thread until
/// the server answers, so from async code go through ``PostgresClient``, which runs the work on
/// its own threads rather than Swift's cooperative pool.
public final class PostgresConnection: @unchecked Sendable {
    let handle: ConnectionHandle
    let redactor: Redactor
    /// What this session has prepared; see ``query(_:_:)``.
    var preparedStatements = PreparedStatements()

    /// Opens a connection, blocking until it is ready or has failed.
    ///
    /// - Parameter url: A `postgresql://` URL or a `key=value` conninfo string. `client_encoding`
    ///   is always UTF8, whatever the string says. Server notices are discarded, not printed to stderr.
    /// - Throws: ``PostgresError/Code/connectionFailed``, with the password and `url` scrubbed from the message.
    public init(url: String) throws(PostgresError) {
        let redactor = Redactor(conninfo: url)
        // Later keywords override what the expanded `dbname` string sets.
        let raw = withCStringArray(["dbname", "client_encoding", "fallback_application_name"]) { keywords in
            withCStringArray([url, "UTF8", "tenantsync"]) { values in
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let raw else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        let handle = ConnectionHandle(raw)
        guard PQstatus(raw) == CONNECTION_OK else {
            throw PostgresError(code: .connectionFailed, message: redactor.scrub(Self.errorMessage(of: raw)))
        }
        PQsetNoticeProcessor(raw, { _, _ in }, nil)
        self.handle = handle
        self.redactor = redactor
    }

    /// Whether libpq considers the connection open. A server-side disconnect is only noticed on the next read.
    public var isConnected: Bool {
        PQstatus(handle.pointer) == CONNECTION_OK
    }

    /// The process ID of the server backend serving this connection (`pg_backend_pid()`).
    public var serverPID: Int32 {
        PQbackendPID(handle.pointer)
    }

    /// Runs one statement with bind parameters (`$1`, `$2`, ...).
    ///
    /// Each parameter's type is inferred by the server, except text arrays (``PostgresValue/textArray(_:)``),
    /// sent as binary `text[]`; cast in SQL where that is ambiguous. A statement with parameters is
    /// prepared on the session the first time its text is run (`PQprepare`) and run as prepared from
    /// then on (`PQexecPrepared`), so the server parses it once per session (``PreparedStatements``); one
    /// without parameters goes through `PQexecParams`.
    /// - Throws: ``PostgresError/Code/queryFailed`` with the SQLSTATE, or
    ///   ``PostgresError/Code/connectionLost`` when the connection broke.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresResult {
        try Self.rejectNUL(in: sql)
        let bound = try PostgresValue.parameters(parameters)
        guard !bound.isEmpty else {
            return PostgresResult(try runUnprepared(sql, bound))
        }
        let key = PreparedStatements.Key(sql: sql, types: bound.map(\.type))
        if let name = preparedStatements.name(of: key) {
            do {
                return PostgresResult(try runPrepared(name, bound))
            } catch {
                guard Self.isStalePreparedStatement(error) else { throw error }
                // Deallocated by someone else, or its result's shape changed with the schema. Outside a
                // transaction the failed call did nothing, so it is prepared anew and run once more.
                preparedStatements.forget(key)
                guard transactionStatus == PQTRANS_IDLE else { throw error }
            }
        }
        guard let name = preparedStatements.reserveName(for: key) else {
            return PostgresResult(try runUnprepared(sql, bound))
        }
        let types = key.types
        let prepared = types.withUnsafeBufferPointer { types in
            PQprepare(handle.pointer, name, sql, Int32(types.count), types.baseAddress)
        }
        _ = try check(prepared, failure: .queryFailed)
        preparedStatements.prepared(key, as: name)
        return PostgresResult(try runPrepared(name, bound))
    }

    private func runUnprepared(_ sql: String, _ bound: [PostgresParameter]) throws(PostgresError) -> ResultHandle {
        let raw = bound.withLibpqArrays { types, values, lengths, formats in
            PQexecParams(handle.pointer, sql, Int32(bound.count), types, values, lengths, formats, 0)
        }
        return try check(raw, failure: .queryFailed)
    }

    private func runPrepared(_ name: String, _ bound: [PostgresParameter]) throws(PostgresError) -> ResultHandle {
        let raw = bound.withLibpqArrays { _, values, lengths, formats in
            PQexecPrepared(handle.pointer, name, Int32(bound.count), values, lengths, formats, 0)
        }
        return try check(raw, failure: .queryFailed)
    }

    /// Whether `error` says the server can no longer run a statement as it was prepared: gone
    /// (`26000`, after `DEALLOCATE` or `DISCARD`), or its result's columns changed (`0A000`, "cached plan
    /// must not change result type", after a migration).
    private static func isStalePreparedStatement(_ error: PostgresError) -> Bool {
        error.code == .queryFailed && (error.sqlState == "26000" || error.sqlState == "0A000")
    }

    /// Runs a script of one or more statements without parameters through `PQexec`, as migrations need.
    ///
    /// Unless the script manages transactions itself, the server runs a multi-statement string as one
    /// transaction, so a failure rolls back all of it.
    public func execute(_ sql: String) throws(PostgresError) {
        _ = try executeScript(sql)
    }

    /// Whether the connection is usable, reopening it with `PQreset` if it broke.
    ///
    /// Reads whatever the server sent while the connection was idle first, so a backend that was
    /// terminated (`pg_terminate_backend`, a server restart) is noticed here rather than by the next statement.
    /// Blocks while reconnecting.
    public func resetIfBroken() -> Bool {
        let pointer = handle.pointer
        // libpq sees the termination message on one read and the closed socket on the next.
        for _ in 0..<3 where PQstatus(pointer) == CONNECTION_OK && PQtransactionStatus(pointer) != PQTRANS_ACTIVE {
            _ = PQconsumeInput(pointer)
        }
        if PQstatus(pointer) == CONNECTION_OK {
            return true
        }
        // A new server session: nothing is prepared on it.
        preparedStatements.removeAll()
        PQreset(pointer)
        return PQstatus(pointer) == CONNECTION_OK
    }

    /// libpq's last connection-level error, scrubbed.
    var lastErrorMessage: String {
        redactor.scrub(Self.errorMessage(of: handle.pointer))
    }

    var transactionStatus: PGTransactionStatusType {
        PQtransactionStatus(handle.pointer)
    }

    /// Runs `sql` with `PQexec` and returns the last statement's result.
    func executeScript(_ sql: String, failure: PostgresError.Code = .queryFailed) throws(PostgresError) -> ResultHandle {
        try Self.rejectNUL(in: sql)
        return try check(PQexec(handle.pointer, sql), failure: failure)
    }

    static func errorMessage(of pointer: OpaquePointer) -> String {
        guard let message = PQerrorMessage(pointer) else {
            return ""
        }
        return String(cString: message).trimmingWhitespace()
    }

    static func rejectNUL(in sql: String) throws(PostgresError) {
        if sql.utf8.contains(0) {
            throw PostgresError(code: .queryFailed, sqlState: "22021", message: "SQL text contains a NUL byte")
        }
    }
}
