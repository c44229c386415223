import IPC

/// Builds the connector a tenant's configuration names.
public enum ConnectorRegistry {
    /// Names of every connector this build knows.
    public static let names = ["motopress", "estimates"]

    /// Returns the tenant's connector, or a ``SyncError/Code/configuration`` error naming what is wrong.
    public static func connector(for tenant: TenantSpec) throws(SyncError) -> any Connector {
        switch tenant.connector {
        case "motopress":
            return try MotoPressConnector(settings: ConnectorSettings(tenant: tenant))
        case "estimates":
            return try EstimatesConnector(settings: ConnectorSettings(tenant: tenant))
        default:
            throw SyncError(
                code: .configuration,
                message: "unknown connector \"\(tenant.connector)\"; known: \(names.joined(separator: ", "))"
            )
        }
    }
}
