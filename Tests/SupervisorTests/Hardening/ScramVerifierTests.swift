import Foundation
import Postgres
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("The SCRAM verifier the supervisor computes for a worker's password")
struct ScramVerifierTests {
    @Test("for the salt and iterations PostgreSQL chose, it is the verifier PostgreSQL computes itself, and PostgreSQL accepts a log-in against ours")
    func matchesPostgreSQL() async throws {
        try await TestDatabase.withDatabase(migrated: false) { url in
            let role = "tenantsync_scram_" + UUID().uuidString.prefix(8).lowercased()
            let password = WorkerCredentialIssuer.newPassword()
            try await offPool { () throws -> Void in
                let admin = try PostgresConnection(url: url)
                defer { _ = try? admin.execute("DROP ROLE IF EXISTS \(role)") }
                try admin.execute("SET password_encryption = 'scram-sha-256'")
                try admin.execute("CREATE ROLE \(role) LOGIN PASSWORD '\(password)'")
                let stored = try #require(try admin.query("SELECT rolpassword FROM pg_authid WHERE rolname = $1", [.text(role)]).rows.first?[0] ?? nil)
                // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
                let head = try #require(stored.split(separator: "$").dropFirst().first)
                let parts = head.split(separator: ":")
                let iterations = try #require(Int(parts[0]))
                let salt = try #require(Data(base64Encoded: String(parts[1])))
                #expect(try ScramVerifier(password: password, salt: Array(salt), iterations: iterations).text == stored)
                #expect(try ScramVerifier(password: password + "x", salt: Array(salt), iterations: iterations).text != stored)

                // Stored as given, ours logs in with the password and refuses another.
                let ours = try ScramVerifier(password: password)
                try admin.execute("ALTER ROLE \(role) PASSWORD '\(ours.text)'")
                #expect(try admin.query("SELECT rolpassword FROM pg_authid WHERE rolname = $1", [.text(role)]).rows.first?[0] == ours.text)
                #expect(ours.text.hasPrefix("SCRAM-SHA-256$\(ScramVerifier.iterations):"))
                var components = try #require(URLComponents(string: url))
                components.user = role
                components.password = password
                let login = try PostgresConnection(url: try #require(components.string))
                #expect(try login.query("SELECT current_user").rows.first?[0] == role)
                components.password = password + "x"
                #expect(throws: PostgresError.self) { try PostgresConnection(url: try #require(components.string)) }
            }
        }
    }
}
