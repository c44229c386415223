/// Who wrote a tenant into the registry last.
public enum TenantSource: String, Codable, Sendable {
    /// The configuration file's `tenants`, applied at start and on SIGHUP; the file wins for the tenants it names.
    case file
    /// The HTTP API (`PUT`, `PATCH`, `POST /api/tenants/reload`) or `tenantsync tenants`.
    case api
}
