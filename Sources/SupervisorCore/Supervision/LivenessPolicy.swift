/// When a running worker counts as dead even though its process exists.
public struct LivenessPolicy: Sendable, Equatable {
    /// Silence (no heartbeat or other message) after which the worker is killed and restarted. Default 15 s.
    public var heartbeatTimeout: Duration = .seconds(15)
    /// Time without progress during a sync after which the worker is stuck: killed and restarted. Default 5 min.
    public var stuckTimeout: Duration = .seconds(300)
    /// Resident memory above which the worker is restarted; `nil` (the default) means no limit.
    public var memoryLimitBytes: Int?
    /// How often liveness and resource use are checked. Default 1 s.
    public var checkInterval: Duration = .seconds(1)

    public init() {}
}
