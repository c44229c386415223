/// A message a worker sends to the supervisor on its stdout, one JSON object per line.
public enum WorkerMessage: Sendable, Equatable {
    /// The worker accepted ``Hello`` and is ready for work.
    case ready(Ready)
    /// The worker cannot go on (bad configuration, protocol mismatch) and is about to exit.
    case fatal(Fatal)
    /// Progress of a run: one per page written.
    case progress(SyncProgress)
    /// A log record, stamped and stored by the supervisor under the tenant.
    case log(LogRecord)
    /// The final outcome of a run.
    case result(RunResult)
    /// Proof of life, sent periodically whether or not a run is in progress.
    case heartbeat(Heartbeat)
    /// The outcome of a ``CheckConnection``.
    case checkResult(ConnectionCheckResult)

    /// The value of the line's `type` field.
    public var type: String {
        switch self {
        case .ready: "ready"
        case .fatal: "fatal"
        case .progress: "progress"
        case .log: "log"
        case .result: "result"
        case .heartbeat: "heartbeat"
        case .checkResult: "check_result"
        }
    }
}

extension WorkerMessage: Codable {
    private enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ready": self = .ready(try Ready(from: decoder))
        case "fatal": self = .fatal(try Fatal(from: decoder))
        case "progress": self = .progress(try SyncProgress(from: decoder))
        case "log": self = .log(try LogRecord(from: decoder))
        case "result": self = .result(try RunResult(from: decoder))
        case "heartbeat": self = .heartbeat(try Heartbeat(from: decoder))
        case "check_result": self = .checkResult(try ConnectionCheckResult(from: decoder))
        default: throw UnknownMessageType(type: type)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .ready(let message): try message.encode(to: encoder)
        case .fatal(let message): try message.encode(to: encoder)
        case .progress(let message): try message.encode(to: encoder)
        case .log(let message): try message.encode(to: encoder)
        case .result(let message): try message.encode(to: encoder)
        case .heartbeat(let message): try message.encode(to: encoder)
        case .checkResult(let message): try message.encode(to: encoder)
        }
    }
}
