import Foundation
import Postgres

/// How a ``TenantConfiguration`` maps onto a row of `tenants`, and back.
extension TenantRegistry {
    /// The columns every read selects, JSON as text and times as ISO 8601 in UTC.
    static let columns = """
        id, connector, settings::text AS settings, secret_settings::text AS secret_settings,
        secret_setting_names::text AS secret_setting_names, enabled, schedule::text AS schedule,
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

    static func record(from row: PostgresRow) throws -> TenantRecord {
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
                .merging(try json([String: String].self, "secret_settings") ?? [:]) { _, secret in secret },
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

    /// Inserts `tenant`, or replaces every column of the stored one, and returns the row as stored.
    static func upsert(_ tenant: TenantConfiguration, source: TenantSource, connection: PostgresConnection) throws -> TenantRecord {
        let secretNames = Set(tenant.effectiveSecretSettings)
        let plain = tenant.settings.filter { !secretNames.contains($0.key) }
        let secret = tenant.settings.filter { secretNames.contains($0.key) }
        let schedule: PostgresValue
        switch tenant.schedule {
        case .inherited: schedule = .null
        case .onDemand: schedule = .text("null")
        case .scheduled(let value): schedule = .text(try jsonText(value))
        }
        let rows = try connection.query("""
            INSERT INTO tenants AS t (id, connector, settings, secret_settings, secret_setting_names, enabled, schedule, webhook_urls, supervision, source)
            VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10)
            ON CONFLICT (id) DO UPDATE SET
                connector = EXCLUDED.connector, settings = EXCLUDED.settings, secret_settings = EXCLUDED.secret_settings,
                secret_setting_names = EXCLUDED.secret_setting_names, enabled = EXCLUDED.enabled, schedule = EXCLUDED.schedule,
                webhook_urls = EXCLUDED.webhook_urls, supervision = EXCLUDED.supervision, source = EXCLUDED.source
            RETURNING \(columns)
            """, [
                .text(tenant.id), .text(tenant.connector), .text(try jsonText(plain)), .text(try jsonText(secret)),
                try tenant.secretSettings.map { .text(try jsonText($0)) } ?? .null, .bool(tenant.enabled), schedule,
                .text(try jsonText(tenant.webhookURLs)), try tenant.supervision.map { .text(try jsonText($0)) } ?? .null,
                .text(source.rawValue),
            ]).rows
        guard let row = rows.first else { throw UnreadableRow(tenantID: tenant.id, column: "id") }
        return try record(from: row)
    }

    private static func jsonText(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
