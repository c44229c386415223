import Foundation
import Postgres
import Schema

/// `tenantsync keys rotate`: every tenant's data key wrapped under the configuration's current master key,
/// while supervisors run.
///
/// The configuration names the new key as current (`master_key_file` or `TENANTSYNC_MASTER_KEY`) and the old
/// one among the previous keys; supervisors given the same keys (and a SIGHUP) read the tenants before,
/// during and after the rotation.
public enum MasterKeyRotation {
    /// What a rotation did.
    public struct Summary: Sendable {
        /// The key every tenant is now sealed under.
        public var keyID: String
        /// Tenants whose data key was wrapped anew.
        public var rewrapped: [String]
        /// Tenants sealed under each key afterwards.
        public var use: [String: Int]
    }

    public static func rotate(
        _ configuration: SupervisorConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Summary {
        let keyring = try MasterKeyring.load(configuration, environment: environment)
        guard let current = keyring.current else {
            throw ConfigurationError("no current master key: set master_key_file (or TENANTSYNC_MASTER_KEY) to the new key, and list the old one in previous_master_key_files")
        }
        let database = PostgresClient(url: configuration.databaseURL, maximumConnections: 1)
        defer { database.shutdown() }
        try await database.withConnection { try Migrator().migrate($0) }
        let registry = TenantRegistry(database: database, keys: MasterKeys(keyring))
        let rewrapped = try await registry.rewrapUnderCurrentKey()
        return Summary(keyID: current.id, rewrapped: rewrapped, use: try await registry.masterKeyUse())
    }
}
