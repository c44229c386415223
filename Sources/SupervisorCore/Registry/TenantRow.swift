import Foundation
import Postgres

/// How a ``TenantConfiguration`` maps onto a row of `tenants`, and back: the columns read, a row
/// decoded (its secrets opened), a tenant written (its secrets sealed). ``TenantRegistry`` runs them.
enum TenantRow {
    /// The columns every read selects, JSON as text and times as ISO 8601 in UTC.
    static let columns = """
        id, connector, settings::text AS settings, encode(secret_settings, 'hex') AS secret_settings,
        encode(secret_data_key, 'hex') AS secret_data_key, master_key_id, secret_setting_names::text AS secret_setting_names, enabled, schedule::text AS schedule,
        webhook_urls::text AS webhook_urls, supervision::text AS supervision, source, version,
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
        to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
        """

    /// A stored row that cannot be read back (edited by hand); names the tenant and the column.
    struct UnreadableRow: Error, CustomStringConvertible {
        var tenantID: String
        var column: String
        var description: String { "tenant \(tenantID): column \(column) of the tenants table cannot be read" }
    }

    /// The tenant a row holds, its secrets opened with `keyring`.
    /// - Throws: ``SecretsError`` when the row's master key is not in `keyring`.
    static func record(from row: PostgresRow, keyring: MasterKeyring) throws -> TenantRecord {
        let id = try row.decode(String.self, "id")
        func json<T: Decodable>(_ type: T.Type, _ column: String) throws -> T? {
            guard let text = row[column] else { return nil }
            do {
                return try JSONDecoder().decode(T.self, from: Data(text.utf8))
            } catch {
                throw UnreadableRow(tenantID: id, column: column)
            }
        }
        var tenant = TenantConfiguration(
            id: id,
            connector: try row.decode(String.self, "connector"),
            enabled: try row.decode(Bool.self, "enabled"),
            settings: (try json([String: String].self, "settings") ?? [:])
                .merging(try secrets(of: row, tenantID: id, keyring: keyring)) { _, secret in secret },
            secretSettings: try json([String].self, "secret_setting_names")
        )
        tenant.supervision = try json(SupervisionSettings.self, "supervision")
        tenant.webhookURLs = try json([String].self, "webhook_urls") ?? []
        switch row["schedule"] {
        case nil: tenant.schedule = .inherited
        case "null": tenant.schedule = .onDemand
        default:
            guard let schedule = try json(TenantSchedule.self, "schedule") else { throw UnreadableRow(tenantID: id, column: "schedule") }
            tenant.schedule = .scheduled(schedule)
        }
        guard let source = TenantSource(rawValue: try row.decode(String.self, "source")) else {
            throw UnreadableRow(tenantID: id, column: "source")
        }
        return TenantRecord(
            tenant: tenant, version: try row.decode(Int64.self, "version"), source: source,
            createdAt: try row.decode(String.self, "created_at"), updatedAt: try row.decode(String.self, "updated_at")
        )
    }

    /// The secret settings a row holds, opened; none when it has none.
    private static func secrets(of row: PostgresRow, tenantID: String, keyring: MasterKeyring) throws -> [String: String] {
        guard let ciphertext = row["secret_settings"] else { return [:] }
        guard let bytes = bytes(hex: ciphertext), let key = row["secret_data_key"].flatMap(bytes(hex:)), let keyID = row["master_key_id"] else {
            throw UnreadableRow(tenantID: tenantID, column: "secret_settings")
        }
        return try SealedSecrets(ciphertext: bytes, wrappedDataKey: key, masterKeyID: keyID).open(tenantID: tenantID, keyring: keyring)
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Inserts `tenant`, or replaces every column of the stored one, and returns the row as stored. Its secret
    /// settings are sealed under the keyring's current master key with a fresh data key.
    static func upsert(_ tenant: TenantConfiguration, source: TenantSource, keyring: MasterKeyring, connection: PostgresConnection) throws -> TenantRecord {
        let secretNames = Set(tenant.effectiveSecretSettings)
        let plain = tenant.settings.filter { !secretNames.contains($0.key) }
        let secret = tenant.settings.filter { secretNames.contains($0.key) }
        let sealed = secret.isEmpty ? nil : try SealedSecrets.seal(secret, tenantID: tenant.id, keyring: keyring)
        let schedule: PostgresValue
        switch tenant.schedule {
        case .inherited: schedule = .null
        case .onDemand: schedule = .text("null")
        case .scheduled(let value): schedule = .text(try jsonText(value))
        }
        let rows = try connection.query("""
            INSERT INTO tenants AS t (
                id, connector, settings, secret_settings, secret_data_key, master_key_id, secret_setting_names, enabled, schedule, webhook_urls, supervision, source
            )
            VALUES ($1, $2, $3::jsonb, $4::bytea, $11::bytea, $12, $5::jsonb, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10)
            ON CONFLICT (id) DO UPDATE SET
                connector = EXCLUDED.connector, settings = EXCLUDED.settings, secret_settings = EXCLUDED.secret_settings,
                secret_data_key = EXCLUDED.secret_data_key, master_key_id = EXCLUDED.master_key_id,
                secret_setting_names = EXCLUDED.secret_setting_names, enabled = EXCLUDED.enabled, schedule = EXCLUDED.schedule,
                webhook_urls = EXCLUDED.webhook_urls, supervision = EXCLUDED.supervision, source = EXCLUDED.source
            RETURNING \(columns)
            """, [
                .text(tenant.id), .text(tenant.connector), .text(try jsonText(plain)), sealed.map { .bytes($0.ciphertext) } ?? .null,
                try tenant.secretSettings.map { .text(try jsonText($0)) } ?? .null, .bool(tenant.enabled), schedule,
                .text(try jsonText(tenant.webhookURLs)), try tenant.supervision.map { .text(try jsonText($0)) } ?? .null,
                .text(source.rawValue), sealed.map { .bytes($0.wrappedDataKey) } ?? .null, sealed.map { .text($0.masterKeyID) } ?? .null,
            ]).rows
        guard let row = rows.first else { throw UnreadableRow(tenantID: tenant.id, column: "id") }
        return try record(from: row, keyring: keyring)
    }

    private static func jsonText(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
