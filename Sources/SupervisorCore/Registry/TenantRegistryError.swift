/// A registry change that could not be made, and why; nothing was written.
struct TenantRegistryError: Error, CustomStringConvertible, Sendable {
    /// Why the change was refused.
    enum Reason: Sendable, Equatable {
        /// `If-Match` named another version; `current` is the stored one (`nil`: no such tenant).
        case versionMismatch(current: Int64?)
        /// `If-None-Match: *`, and the tenant exists at version `current`.
        case alreadyExists(current: Int64)
        /// No tenant has this id.
        case notFound
    }

    var tenantID: String
    var reason: Reason

    /// The error for a change whose `condition` a tenant stored as `current` does not meet.
    init(tenantID: String, unmet condition: TenantVersionCondition, current: TenantRecord?) {
        self.tenantID = tenantID
        if condition == .absent, let current {
            reason = .alreadyExists(current: current.version)
        } else {
            reason = .versionMismatch(current: current?.version)
        }
    }

    init(tenantID: String, reason: Reason) {
        self.tenantID = tenantID
        self.reason = reason
    }

    var description: String {
        switch reason {
        case .versionMismatch(let current?):
            "tenant \(tenantID) is at version \(current), not the one If-Match names; read it again and retry"
        case .versionMismatch(nil):
            "tenant \(tenantID) does not exist, and If-Match names a version of it"
        case .alreadyExists(let current):
            "tenant \(tenantID) already exists (version \(current)); change it instead"
        case .notFound:
            "no tenant \(tenantID)"
        }
    }

    /// The answer a client gets.
    var apiError: APIError {
        switch reason {
        case .versionMismatch, .alreadyExists: APIError(.versionMismatch, description)
        case .notFound: APIError.notFound(description)
        }
    }
}
