/// A message the supervisor sends to a worker on the worker's stdin, one JSON object per line.
public enum SupervisorMessage: Sendable, Equatable {
    /// Opens the session: protocol version, tenant id and the tenant's configuration.
    case hello(Hello)
    /// Asks the worker to run one sync of its tenant.
    case sync(SyncCommand)
    /// Asks the worker to finish the page in hand, commit and exit.
    case shutdown(Shutdown)
    /// Asks the worker to stop one run's sync after the batch in hand, and stay up.
    case cancel(CancelRun)
    /// Asks the worker to test its tenant's connection to the upstream.
    case check(CheckConnection)

    /// The value of the line's `type` field.
    public var type: String {
        switch self {
        case .hello: "hello"
        case .sync: "sync"
        case .shutdown: "shutdown"
        case .cancel: "cancel"
        case .check: "check"
        }
    }
}

extension SupervisorMessage: Codable {
    private enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "hello": self = .hello(try Hello(from: decoder))
        case "sync": self = .sync(try SyncCommand(from: decoder))
        case "shutdown": self = .shutdown(try Shutdown(from: decoder))
        case "cancel": self = .cancel(try CancelRun(from: decoder))
        case "check": self = .check(try CheckConnection(from: decoder))
        default: throw UnknownMessageType(type: type)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .hello(let message): try message.encode(to: encoder)
        case .sync(let message): try message.encode(to: encoder)
        case .shutdown(let message): try message.encode(to: encoder)
        case .cancel(let message): try message.encode(to: encoder)
        case .check(let message): try message.encode(to: encoder)
        }
    }
}

/// Thrown while decoding a line whose `type` names no known message.
struct UnknownMessageType: Error {
    var type: String
}
