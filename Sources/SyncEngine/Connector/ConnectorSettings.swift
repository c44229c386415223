import IPC

/// A tenant's connector settings with typed, validated access.
public struct ConnectorSettings: Sendable {
    public let tenantID: String
    private let values: [String: String]

    public init(tenant: TenantSpec) {
        self.tenantID = tenant.id
        self.values = tenant.settings
    }

    public init(tenantID: String, values: [String: String]) {
        self.tenantID = tenantID
        self.values = values
    }

    /// A required, non-empty setting.
    public func required(_ name: String) throws(SyncError) -> String {
        guard let value = values[name], !value.isEmpty else {
            throw SyncError(code: .configuration, message: "tenant \(tenantID): setting \"\(name)\" is missing")
        }
        return value
    }

    /// An optional setting.
    public func optional(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An optional integer setting with a default, rejecting non-numbers.
    public func integer(_ name: String, default defaultValue: Int) throws(SyncError) -> Int {
        guard let text = optional(name) else { return defaultValue }
        guard let value = Int(text) else {
            throw SyncError(code: .configuration, message: "tenant \(tenantID): setting \"\(name)\" must be an integer, got \"\(text)\"")
        }
        return value
    }
}

extension ConnectorSettings {
    /// An optional boolean setting (`true`/`false`, `1`/`0`, `yes`/`no`), `false` when absent.
    public func boolean(_ name: String) throws(SyncError) -> Bool {
        guard let text = optional(name) else { return false }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            throw SyncError(code: .configuration, message: "tenant \(tenantID): setting \"\(name)\" must be true or false, got \"\(text)\"")
        }
    }
}
