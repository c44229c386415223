import Foundation
@testable import SupervisorCore
import TestSupport

typealias TenantChanged = APIAnswers.TenantChanged

/// Requests and database looks the tenant registry's tests share.
enum RegistryRequests {
    /// `tenant` as a request body.
    static func body(_ tenant: TenantConfiguration) throws -> String {
        String(decoding: try JSONEncoder().encode(tenant), as: UTF8.self)
    }

    /// `If-Match` naming `version`.
    static func ifMatch(_ version: Int64) -> [(name: String, value: String)] {
        [(name: "If-Match", value: "\"\(version)\"")]
    }

    /// The stored version of `tenantID`, or `nil` when the table has no such row.
    static func storedVersion(_ url: String, _ tenantID: String) async throws -> Int64? {
        let count = try await TestDatabase.scalar(url, "SELECT count(*) FROM tenants WHERE id = $1", [.text(tenantID)])
        guard count > 0 else { return nil }
        return Int64(try await TestDatabase.scalar(url, "SELECT version FROM tenants WHERE id = $1", [.text(tenantID)]))
    }

    /// The error code and field of an error answer.
    static func error(_ response: APIResponse) -> (code: String?, field: String?, message: String?) {
        let error = response.json["error"] as? [String: Any]
        return (error?["code"] as? String, error?["field"] as? String, error?["message"] as? String)
    }
}
