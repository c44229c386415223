/// The outcome of one run of one tenant.
public struct RunResult: Codable, Sendable, Equatable {
    /// The overall status of a tenant's run.
    public enum Status: String, Codable, Sendable {
        /// Every stream succeeded.
        case succeeded
        /// A stream failed; later streams may have been skipped.
        case failed
        /// The run stopped early because the worker was asked to shut down.
        case cancelled
    }

    public var runID: String
    public var status: Status
    /// One entry per stream, in the order they ran (or would have).
    public var streams: [StreamResult]
    /// Why the run failed, naming the stream; `nil` on success.
    public var error: String?
    /// What kind of failure ``error`` is, when the worker knows; the supervisor retries a sync whose
    /// database went away (``ErrorKind/database``) like one whose worker crashed.
    public var errorKind: ErrorKind?
    /// Wall time of the run in milliseconds.
    public var durationMilliseconds: Int

    public init(runID: String, status: Status, streams: [StreamResult], error: String?, errorKind: ErrorKind? = nil, durationMilliseconds: Int) {
        self.runID = runID
        self.status = status
        self.streams = streams
        self.error = error
        self.errorKind = errorKind
        self.durationMilliseconds = durationMilliseconds
    }

    /// The kind of failure that ended a failed run: a closed set.
    public struct ErrorKind: Codable, Sendable, Hashable, CustomStringConvertible {
        private enum Value: String {
            case database
            case upstream
            case authentication
            case configuration
            case badPayload = "bad_payload"
        }

        private let value: Value

        /// A database statement failed, or the database could not be reached.
        public static let database = ErrorKind(value: .database)
        /// The upstream failed or could not be reached.
        public static let upstream = ErrorKind(value: .upstream)
        /// The upstream refused the tenant's credentials.
        public static let authentication = ErrorKind(value: .authentication)
        /// The tenant's configuration is unusable.
        public static let configuration = ErrorKind(value: .configuration)
        /// The upstream answered something that could not be parsed.
        public static let badPayload = ErrorKind(value: .badPayload)

        public var description: String { value.rawValue }

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let value = Value(rawValue: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown error kind \(text)"))
            }
            self.value = value
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(value.rawValue)
        }

        private init(value: Value) {
            self.value = value
        }
    }

    /// The sum of every stream's counts.
    public var totals: StreamCounts {
        var total = StreamCounts()
        for stream in streams { total.add(stream.counts) }
        return total
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case status, streams, error
        case errorKind = "error_kind"
        case durationMilliseconds = "duration_ms"
    }
}
