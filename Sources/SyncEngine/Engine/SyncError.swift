import CurlHTTP
import Postgres

/// Why a stream or a run failed.
public struct SyncError: Error, CustomStringConvertible, Sendable {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The tenant's configuration is unusable; retrying will not help.
        public static let configuration = Code(rawValue: "configuration")
        /// The upstream rejected our credentials; retrying will not help.
        public static let authentication = Code(rawValue: "authentication")
        /// The upstream failed or could not be reached.
        public static let upstream = Code(rawValue: "upstream")
        /// The upstream answered something we could not parse.
        public static let badPayload = Code(rawValue: "bad_payload")
        /// A database statement failed.
        public static let database = Code(rawValue: "database")
        /// The run was cancelled (shutdown).
        public static let cancelled = Code(rawValue: "cancelled")
    }

    public var code: Code
    /// A human-readable explanation that names URLs without credentials.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Wraps a database error.
    static func database(_ error: any Error, while action: String) -> SyncError {
        SyncError(code: .database, message: "\(action): \(error)")
    }
}
