import Foundation
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
            throw SyncError(code: .configuration, message: "tenant \(tenantID): setting \"\(name)\" is missing", setting: name)
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
            throw SyncError(code: .configuration, message: "tenant \(tenantID): setting \"\(name)\" must be an integer, got \"\(text)\"", setting: name)
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
            throw SyncError(code: .configuration, message: "tenant \(tenantID): setting \"\(name)\" must be true or false, got \"\(text)\"", setting: name)
        }
    }
}

extension ConnectorSettings {
    /// An optional integer setting with a default, which must lie in `range`.
    public func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(SyncError) -> Int {
        let value = try integer(name, default: defaultValue)
        guard range.contains(value) else {
            throw SyncError(
                code: .configuration,
                message: "tenant \(tenantID): \(name) must be between \(range.lowerBound) and \(range.upperBound), got \(value)",
                setting: name
            )
        }
        return value
    }

    /// An optional duration setting in seconds: a number of seconds, or a number with `s`, `m`, `h`
    /// or `d` (`"30m"`, `"1d"`); `"0"` or `"never"` is `nil` (never).
    public func duration(_ name: String, default defaultValue: Int?) throws(SyncError) -> Int? {
        guard let text = optional(name)?.trimmingCharacters(in: .whitespaces).lowercased() else { return defaultValue }
        if text == "never" { return nil }
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var number = Substring(text)
        var unit = 1
        if let last = text.last, let factor = units[last] {
            number = number.dropLast()
            unit = factor
        }
        guard let value = Int(number), value >= 0 else {
            throw SyncError(
                code: .configuration,
                message: "tenant \(tenantID): setting \"\(name)\" must be seconds or a duration such as 30m, 12h or 1d, got \"\(text)\"",
                setting: name
            )
        }
        return value == 0 ? nil : value * unit
    }
}

extension ConnectorSettings {
    /// A required `http://` or `https://` URL with a host, without its trailing slashes.
    public func baseURL(_ name: String) throws(SyncError) -> String {
        var text = try required(name)
        while text.hasSuffix("/") { text.removeLast() }
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
            throw SyncError(code: .configuration, message: "tenant \(tenantID): \(name) must start with http:// or https://", setting: name)
        }
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
              !text.contains(where: { $0 == " " || $0 == "\n" || $0 == "\t" }) else {
            throw SyncError(code: .configuration, message: "tenant \(tenantID): \(name) is not a valid URL with a host name", setting: name)
        }
        guard components.query == nil, components.fragment == nil else {
            throw SyncError(code: .configuration, message: "tenant \(tenantID): \(name) must not have a query or a fragment", setting: name)
        }
        return text
    }
}
