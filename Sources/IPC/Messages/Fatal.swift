/// The worker cannot go on; it exits right after sending this (or, for
/// ``Code/credentialsRejected``, right after the `result` that follows it).
public struct Fatal: Codable, Sendable, Equatable {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Codable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The supervisor speaks a protocol version this worker does not.
        public static let protocolMismatch = Code(rawValue: "protocol_mismatch")
        /// The tenant's configuration is unusable (unknown connector, missing setting).
        public static let badConfiguration = Code(rawValue: "bad_configuration")
        /// The first line was not a valid ``Hello``.
        public static let badHandshake = Code(rawValue: "bad_handshake")
        /// The database could not be reached or migrated.
        public static let databaseUnavailable = Code(rawValue: "database_unavailable")
        /// The upstream refused the tenant's credentials during a sync; sent just before that run's
        /// `result`, after which the worker exits with the permanent-failure status.
        public static let credentialsRejected = Code(rawValue: "credentials_rejected")
    }

    public var code: Code
    /// A human-readable explanation, free of secrets.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }
}
