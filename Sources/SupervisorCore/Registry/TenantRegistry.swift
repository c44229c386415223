import Foundation
import Postgres

/// The `tenants` table: every tenant of every supervisor on the database, and the one place they change.
///
/// Each change is one transaction that locks the tenant's row, checks the caller's ``TenantVersionCondition``
/// against it and writes, so a stale `If-Match` can never overwrite a newer version. A change that leaves a
/// tenant as it was writes nothing, and its version stays. The table's triggers bump the version and
/// notify every supervisor (``notificationChannel``) at commit.
struct TenantRegistry: Sendable {
    let database: PostgresClient
    /// Opens the secret settings of every row read and seals those of every row written.
    let keys: MasterKeys

    /// The channel every change is announced on, with the tenant id as payload.
    static let notificationChannel = "tenantsync_tenants"
    /// Serialises whole-list changes (configuration files, `POST /api/tenants/reload`) between supervisors.
    static let listLockKey = 7_310_010

    /// What one change did.
    struct Write: Sendable {
        /// The tenant as stored afterwards.
        var record: TenantRecord
        /// Whether there was no such tenant before.
        var created: Bool
        /// Whether anything was written (`false`: the tenant was already so).
        var changed: Bool
    }

    /// What a whole-list change did.
    struct ListChange: Sendable, Equatable {
        /// Tenants stored anew or changed.
        var written: [String] = []
        /// Those of ``written`` that did not exist before.
        var created: [String] = []
        var removed: [String] = []
    }

    /// A cheap summary of the table that changes whenever a tenant is added, changed or removed.
    struct Fingerprint: Sendable, Equatable {
        var latestVersion: Int64
        var count: Int
    }

    /// Every tenant, oldest first.
    func all() async throws -> [TenantRecord] {
        let keyring = keys.current
        return try await database.withConnection { connection in
            try connection.query("SELECT \(TenantRow.columns) FROM tenants ORDER BY created_at, id").rows.map { try TenantRow.record(from: $0, keyring: keyring) }
        }
    }

    /// The tenant `id`, or `nil`.
    func record(_ id: String) async throws -> TenantRecord? {
        let keyring = keys.current
        return try await database.withConnection { connection in
            try connection.query("SELECT \(TenantRow.columns) FROM tenants WHERE id = $1", [.text(id)]).rows.first.map { try TenantRow.record(from: $0, keyring: keyring) }
        }
    }

    func fingerprint() async throws -> Fingerprint {
        try await database.withConnection { connection in
            let row = try connection.query("SELECT coalesce(max(version), 0) AS latest, count(*)::int AS count FROM tenants").rows.first
            return Fingerprint(latestVersion: try row?.decode(Int64.self, "latest") ?? 0, count: try row?.decode(Int.self, "count") ?? 0)
        }
    }

    /// Stores what `change` makes of tenant `id` (given as stored, or `nil`), if its version meets `condition`.
    ///
    /// `change` runs inside the transaction, with the row locked: whatever it throws (a validation error)
    /// rolls everything back. - Throws: ``TenantRegistryError`` when the condition fails.
    func write(
        _ id: String, expecting condition: TenantVersionCondition, source: TenantSource,
        change: @escaping @Sendable (TenantRecord?) throws -> TenantConfiguration
    ) async throws -> Write {
        let keyring = keys.current
        return try await database.withConnection { connection in
            try connection.withTransaction { connection in
                let current = try Self.lock(id, keyring: keyring, connection: connection)
                guard condition.isMet(by: current) else {
                    throw TenantRegistryError(tenantID: id, unmet: condition, current: current)
                }
                let tenant = try change(current)
                if let current, Self.isUnchanged(current, by: tenant, source: source) {
                    return Write(record: current, created: false, changed: false)
                }
                return Write(record: try TenantRow.upsert(tenant, source: source, keyring: keyring, connection: connection), created: current == nil, changed: true)
            }
        }
    }

    /// Removes tenant `id` if its version meets `condition`; returns it as it was.
    func delete(_ id: String, expecting condition: TenantVersionCondition) async throws -> TenantRecord {
        let keyring = keys.current
        return try await database.withConnection { connection in
            try connection.withTransaction { connection in
                let current = try Self.lock(id, keyring: keyring, connection: connection)
                guard condition.isMet(by: current) else {
                    throw TenantRegistryError(tenantID: id, unmet: condition, current: current)
                }
                guard let current else { throw TenantRegistryError(tenantID: id, reason: .notFound) }
                _ = try connection.query("DELETE FROM tenants WHERE id = $1", [.text(id)])
                return current
            }
        }
    }

    /// Stores `tenants` as written by `source` and removes the stored tenants `isObsolete` picks among those not
    /// listed, in one transaction, one list change at a time across supervisors.
    func apply(
        _ tenants: [TenantConfiguration], source: TenantSource, removing isObsolete: @escaping @Sendable (TenantRecord) -> Bool
    ) async throws -> ListChange {
        let keyring = keys.current
        return try await database.withConnection { connection in
            try connection.withTransaction { connection in
                _ = try connection.query("SELECT pg_advisory_xact_lock($1)", [.int(Self.listLockKey)])
                let stored = Dictionary(
                    uniqueKeysWithValues: try connection.query("SELECT \(TenantRow.columns) FROM tenants ORDER BY id FOR UPDATE").rows
                        .map { try TenantRow.record(from: $0, keyring: keyring) }.map { ($0.tenant.id, $0) }
                )
                var change = ListChange()
                let listed = Set(tenants.map(\.id))
                for (id, record) in stored.sorted(by: { $0.key < $1.key }) where !listed.contains(id) && isObsolete(record) {
                    _ = try connection.query("DELETE FROM tenants WHERE id = $1", [.text(id)])
                    change.removed.append(id)
                }
                for tenant in tenants {
                    if let current = stored[tenant.id], Self.isUnchanged(current, by: tenant, source: source) { continue }
                    _ = try TenantRow.upsert(tenant, source: source, keyring: keyring, connection: connection)
                    change.written.append(tenant.id)
                    if stored[tenant.id] == nil { change.created.append(tenant.id) }
                }
                return change
            }
        }
    }

    /// Whether writing `tenant` as `source` over `current` would change nothing worth a version: the same
    /// configuration, and a source that stays (the API never takes a tenant from the file by writing it unchanged).
    private static func isUnchanged(_ current: TenantRecord, by tenant: TenantConfiguration, source: TenantSource) -> Bool {
        current.tenant == tenant && (current.source == source || source == .api)
    }

    private static func lock(_ id: String, keyring: MasterKeyring, connection: PostgresConnection) throws -> TenantRecord? {
        try connection.query("SELECT \(TenantRow.columns) FROM tenants WHERE id = $1 FOR UPDATE", [.text(id)]).rows.first.map { try TenantRow.record(from: $0, keyring: keyring) }
    }
}
