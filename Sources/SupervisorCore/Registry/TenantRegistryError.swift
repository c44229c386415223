/// A registry change that could not be made, and why; nothing was written.
struct TenantRegistryError: Error, CustomStringConvertible, Sendable {
    /// Why the change was refused.
    enum Reason: Sendable, Equatable {
        /// `If-Match` named another version; `current` is the stored one (`nil`: no such tenant).
        case versionMismatch(current: Int64?)
        /// No tenant has this id.
        case notFound
    }

    var tenantID: String
    var reason: Reason

    var description: String {
        switch reason {
        case .versionMismatch(let current?):
            "tenant \(tenantID) is at version \(current), not the one If-Match names; read it again and retry"
        case .versionMismatch(nil):
            "tenant \(tenantID) does not exist, and If-Match names a version of it"
        case .notFound:
            "no tenant \(tenantID)"
        }
    }

    /// The answer a client gets.
    var apiError: APIError {
        switch reason {
        case .versionMismatch: APIError(.versionMismatch, description)
        case .notFound: APIError.notFound(description)
        }
    }
}
