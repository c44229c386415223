import Foundation
import Postgres

/// Master keys over the stored secrets: which keys seal them, and re-wrapping them under another.
extension TenantRegistry {
    /// How many tenants' secrets each master key seals, by key id.
    func masterKeyUse() async throws -> [String: Int] {
        try await database.withConnection { connection in
            var use: [String: Int] = [:]
            for row in try connection.query(
                "SELECT master_key_id, count(*)::int AS tenants FROM tenants WHERE master_key_id IS NOT NULL GROUP BY master_key_id"
            ).rows {
                use[try row.decode(String.self, "master_key_id")] = try row.decode(Int.self, "tenants")
            }
            return use
        }
    }

    /// Wraps the data key of every tenant sealed under another master key with the keyring's current one, in one
    /// transaction (the secrets' ciphertext stays as it is). Returns the tenants re-wrapped.
    /// - Throws: ``SecretsError`` when the keyring has no current key, or lacks a key some tenant is sealed under;
    ///   nothing is changed then.
    func rewrapUnderCurrentKey() async throws -> [String] {
        let keyring = keys.current
        guard let master = keyring.current else { throw SecretsError(.noMasterKey, tenantID: "(every tenant)") }
        return try await database.withConnection { connection in
            try connection.withTransaction { connection in
                let rows = try connection.query("""
                    SELECT id, encode(secret_settings, 'hex') AS secret_settings, encode(secret_data_key, 'hex') AS secret_data_key, master_key_id
                    FROM tenants WHERE master_key_id IS NOT NULL AND master_key_id <> $1 ORDER BY id FOR UPDATE
                    """, [.text(master.id)]).rows
                var rewrapped: [String] = []
                for row in rows {
                    let id = try row.decode(String.self, "id")
                    guard let ciphertext = row["secret_settings"].flatMap(TenantRow.bytes(hex:)), let key = row["secret_data_key"].flatMap(TenantRow.bytes(hex:)),
                          let keyID = row["master_key_id"] else { throw TenantRow.UnreadableRow(tenantID: id, column: "secret_data_key") }
                    let sealed = try SealedSecrets(ciphertext: ciphertext, wrappedDataKey: key, masterKeyID: keyID)
                        .rewrapped(tenantID: id, under: master, keyring: keyring)
                    _ = try connection.query(
                        "UPDATE tenants SET secret_data_key = $2::bytea, master_key_id = $3 WHERE id = $1",
                        [.text(id), .bytes(sealed.wrappedDataKey), .text(sealed.masterKeyID)]
                    )
                    rewrapped.append(id)
                }
                return rewrapped
            }
        }
    }
}
