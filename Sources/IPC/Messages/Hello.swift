/// Opens a session: the supervisor's first line to a new worker.
public struct Hello: Codable, Sendable, Equatable {
    /// The protocol version the supervisor speaks; see ``ProtocolVersion``.
    public var protocolVersion: Int
    /// The tenant this worker serves for its whole life.
    public var tenantID: String
    /// Everything the worker needs to sync the tenant, secrets included (the pipe is private).
    public var tenant: TenantSpec

    public init(protocolVersion: Int = ProtocolVersion.current, tenantID: String, tenant: TenantSpec) {
        self.protocolVersion = protocolVersion
        self.tenantID = tenantID
        self.tenant = tenant
    }

    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol_version"
        case tenantID = "tenant_id"
        case tenant
    }
}
