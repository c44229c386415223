import CurlHTTP
import IPC
import Postgres

/// Why a stream or a run failed.
public struct SyncError: Error, CustomStringConvertible, Sendable {
    /// A stable, machine-readable reason: a closed set, so no one invents a code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String {
            case configuration
            case authentication
            case upstream
            case badPayload = "bad_payload"
            case database
            case cancelled
        }

        private let value: Value

        /// The tenant's configuration is unusable; retrying will not help.
        public static let configuration = Code(value: .configuration)
        /// The upstream rejected our credentials; retrying will not help.
        public static let authentication = Code(value: .authentication)
        /// The upstream failed or could not be reached.
        public static let upstream = Code(value: .upstream)
        /// The upstream answered something we could not parse.
        public static let badPayload = Code(value: .badPayload)
        /// A database statement failed.
        public static let database = Code(value: .database)
        /// The run was cancelled (shutdown).
        public static let cancelled = Code(value: .cancelled)

        /// The code's name, as logs show it.
        public var description: String { value.rawValue }

        /// The kind a run's result reports for a run that failed with this code; `nil` for a cancel.
        public var resultKind: RunResult.ErrorKind? {
            switch value {
            case .configuration: .configuration
            case .authentication: .authentication
            case .upstream: .upstream
            case .badPayload: .badPayload
            case .database: .database
            case .cancelled: nil
            }
        }
    }

    public var code: Code
    /// A human-readable explanation that names URLs without credentials.
    public var message: String
    /// The setting a ``Code/configuration`` error is about (`base_url`, `per_page`), when it is about one.
    public var setting: String?

    public init(code: Code, message: String, setting: String? = nil) {
        self.code = code
        self.message = message
        self.setting = setting
    }

    public var description: String { message }

    /// Wraps a database error.
    static func database(_ error: any Error, while action: String) -> SyncError {
        SyncError(code: .database, message: "\(action): \(error)")
    }
}
