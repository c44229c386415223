/// An error from the PostgreSQL client: what failed, the server's SQLSTATE when it sent one, and its message.
///
/// `description` is safe to log: it never contains the connection URL, conninfo or a password.
/// The message may contain values from the failing statement (for example the `DETAIL` of a
/// unique violation names the duplicate key), just as the server log would.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What kind of operation failed.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The connection could not be opened or reopened.
        public static let connectionFailed = Code("connectionFailed")
        /// The server rejected a statement.
        public static let queryFailed = Code("queryFailed")
        /// A `COPY ... FROM STDIN` failed.
        public static let copyFailed = Code("copyFailed")
        /// A column's text could not be decoded as the requested type.
        public static let decodingFailed = Code("decodingFailed")
        /// The connection broke during a statement; the statement may or may not have run.
        public static let connectionLost = Code("connectionLost")
        /// The ``PostgresClient`` was shut down before the work could run.
        public static let clientShutdown = Code("clientShutdown")

        public let description: String

        private init(_ description: String) {
            self.description = description
        }
    }

    /// What kind of operation failed.
    public var code: Code
    /// The five-character SQLSTATE the server reported, if any (`23505`, `42P01`, ...).
    public var sqlState: String?
    /// The libpq error message, trimmed and with any password scrubbed.
    public var message: String

    public init(code: Code, sqlState: String? = nil, message: String) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
    }

    public var description: String {
        var text = "PostgresError.\(code)"
        if let sqlState {
            text += " [\(sqlState)]"
        }
        return text + ": \(message)"
    }

    /// Whether the connection itself failed, so it must be reopened before further use.
    ///
    /// True for ``Code/connectionFailed`` and ``Code/connectionLost``, SQLSTATE class 08
    /// (connection exception) and 57P01–57P03 (administrator shutdown, crash shutdown, cannot connect now).
    public var isConnectionError: Bool {
        if code == .connectionFailed || code == .connectionLost {
            return true
        }
        guard let sqlState else {
            return false
        }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// Whether a unique constraint was violated (SQLSTATE 23505).
    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// Whether a serializable transaction must be retried (SQLSTATE 40001).
    public var isSerializationFailure: Bool { sqlState == "40001" }

    /// Whether the transaction was chosen as a deadlock victim and may be retried (SQLSTATE 40P01).
    public var isDeadlock: Bool { sqlState == "40P01" }
}
