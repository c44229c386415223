import Foundation
import Postgres
import Support

/// Issues each tenant's worker a database identity of its own: a login role bound to the tenant
/// (see the `worker_roles` migration), with a fresh password at every worker start.
///
/// Row-level security then keys on the role the worker logged in as, which it cannot change, not on
/// a setting it could set to another tenant's id. The password reaches that worker only, inside its
/// `hello` on the pipe; a new worker's password replaces its predecessor's.
struct WorkerCredentialIssuer: Sendable {
    /// The supervisor's own connections, which may create roles (`CREATEROLE`).
    let database: PostgresClient
    /// Where workers connect (host, port, database, options); its user and password are replaced.
    let baseURL: String

    /// A connection URL for `tenantID`'s worker, under the tenant's role with a new password.
    func databaseURL(for tenantID: String) async throws -> String {
        guard var components = URLComponents(string: baseURL), components.scheme?.hasPrefix("postgres") == true else {
            throw WorkerCredentialError(message: "worker_identity \"tenant_role\" needs database_url (or worker_database_url) as a postgresql:// URL")
        }
        let password = Self.newPassword()
        let role: String
        // The server stores the verifier as it is: no password hashing in it (see ScramVerifier).
        let verifier = try ScramVerifier(password: password).text
        do {
            role = try await database.withConnection { connection in
                let rows = try connection.query("SELECT tenantsync_issue_worker_role($1, $2) AS role", [.text(tenantID), .text(verifier)]).rows
                return rows.first?["role"].flatMap { $0 } ?? ""
            }
        } catch {
            // The server's error may quote the statement that carried the password.
            let reason = "\(error)".replacingOccurrences(of: verifier, with: "***").replacingOccurrences(of: password, with: "***")
            throw WorkerCredentialError(message: "cannot issue the tenant's database role (the supervisor's role needs CREATEROLE, or set worker_identity to \"shared\"): \(reason)")
        }
        components.user = role
        components.password = password
        guard let url = components.string else { throw WorkerCredentialError(message: "cannot build the worker's database URL") }
        return url
    }

    /// 32 random bytes from the system's generator, as hex.
    static func newPassword() -> String {
        var generator = SystemRandomNumberGenerator()
        return HexDigits.string((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}

/// A tenant's database identity could not be issued; the worker is not started.
struct WorkerCredentialError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
