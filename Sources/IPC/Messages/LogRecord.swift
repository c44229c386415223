/// A structured log record from the worker.
public struct LogRecord: Codable, Sendable, Equatable {
    /// `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`.
    public var level: String
    public var message: String
    /// The run the record belongs to, when known.
    public var runID: String?
    /// The stream the record belongs to, when known.
    public var stream: String?
    /// Extra structured fields, already free of secrets.
    public var fields: [String: String]

    public init(level: String, message: String, runID: String? = nil, stream: String? = nil, fields: [String: String] = [:]) {
        self.level = level
        self.message = message
        self.runID = runID
        self.stream = stream
        self.fields = fields
    }

    enum CodingKeys: String, CodingKey {
        case level, message, stream, fields
        case runID = "run_id"
    }
}
