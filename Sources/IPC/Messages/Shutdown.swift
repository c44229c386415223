/// Asks a worker to finish the page in hand, commit and exit with status 0.
public struct Shutdown: Codable, Sendable, Equatable {
    /// Why the supervisor is stopping the worker, for the worker's last log line.
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
