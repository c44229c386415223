/// The worker's answer to ``Hello`` when it can serve the tenant.
public struct Ready: Codable, Sendable, Equatable {
    /// The worker's process id.
    public var pid: Int32
    /// The worker build's version string.
    public var version: String
    /// The protocol version the worker speaks.
    public var protocolVersion: Int
    /// The streams the tenant's connector syncs, in the order they run.
    public var streams: [String]

    public init(pid: Int32, version: String, protocolVersion: Int = ProtocolVersion.current, streams: [String]) {
        self.pid = pid
        self.version = version
        self.protocolVersion = protocolVersion
        self.streams = streams
    }

    enum CodingKeys: String, CodingKey {
        case pid, version, streams
        case protocolVersion = "protocol_version"
    }
}
