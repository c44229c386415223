import Crypto
import Foundation

/// A tenant's secret settings as stored: encrypted with AES-256-GCM under a data key of their own, that data
/// key wrapped (AES-256-GCM again) by a master key, and the master key's id.
///
/// Both seals are bound to the tenant's id (the authenticated data), so ciphertext copied onto another
/// tenant's row does not open. Every write seals with a fresh data key.
struct SealedSecrets: Sendable, Equatable {
    /// Nonce, ciphertext and tag of the secrets' JSON object.
    var ciphertext: [UInt8]
    /// Nonce, ciphertext and tag of the data key.
    var wrappedDataKey: [UInt8]
    var masterKeyID: String

    /// Seals `secrets` of `tenantID` under the keyring's current key.
    static func seal(_ secrets: [String: String], tenantID: String, keyring: MasterKeyring) throws(SecretsError) -> SealedSecrets {
        guard let master = keyring.current else { throw SecretsError(.noMasterKey, tenantID: tenantID) }
        let dataKey = SymmetricKey(size: .bits256)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let sealed = try AES.GCM.seal(try encoder.encode(secrets), using: dataKey, authenticating: contentContext(tenantID))
            return SealedSecrets(
                ciphertext: Array(sealed.combined ?? Data()),
                wrappedDataKey: try wrap(dataKey, tenantID: tenantID, under: master),
                masterKeyID: master.id
            )
        } catch {
            throw SecretsError(.sealFailed, tenantID: tenantID, keyID: master.id)
        }
    }

    /// The secrets, opened with the keyring's key of ``masterKeyID``.
    func open(tenantID: String, keyring: MasterKeyring) throws(SecretsError) -> [String: String] {
        let dataKey = try unwrapDataKey(tenantID: tenantID, keyring: keyring)
        do {
            let box = try AES.GCM.SealedBox(combined: Data(ciphertext))
            return try JSONDecoder().decode([String: String].self, from: try AES.GCM.open(box, using: dataKey, authenticating: Self.contentContext(tenantID)))
        } catch {
            throw SecretsError(.openFailed, tenantID: tenantID, keyID: masterKeyID)
        }
    }

    /// The same secrets with their data key wrapped by `master` instead; the ciphertext stays.
    func rewrapped(tenantID: String, under master: MasterKey, keyring: MasterKeyring) throws(SecretsError) -> SealedSecrets {
        let dataKey = try unwrapDataKey(tenantID: tenantID, keyring: keyring)
        do {
            return SealedSecrets(ciphertext: ciphertext, wrappedDataKey: try Self.wrap(dataKey, tenantID: tenantID, under: master), masterKeyID: master.id)
        } catch {
            throw SecretsError(.sealFailed, tenantID: tenantID, keyID: master.id)
        }
    }

    private func unwrapDataKey(tenantID: String, keyring: MasterKeyring) throws(SecretsError) -> SymmetricKey {
        guard let master = keyring.key(id: masterKeyID) else {
            throw SecretsError(.unknownMasterKey, tenantID: tenantID, keyID: masterKeyID, held: keyring.ids)
        }
        do {
            let box = try AES.GCM.SealedBox(combined: Data(wrappedDataKey))
            return SymmetricKey(data: try AES.GCM.open(box, using: master.key, authenticating: Self.keyContext(tenantID, master.id)))
        } catch {
            throw SecretsError(.openFailed, tenantID: tenantID, keyID: masterKeyID)
        }
    }

    private static func wrap(_ dataKey: SymmetricKey, tenantID: String, under master: MasterKey) throws -> [UInt8] {
        let sealed = try dataKey.withUnsafeBytes { bytes in
            try AES.GCM.seal(Data(bytes), using: master.key, authenticating: keyContext(tenantID, master.id))
        }
        return Array(sealed.combined ?? Data())
    }

    private static func contentContext(_ tenantID: String) -> Data { Data("tenantsync secret settings of \(tenantID)".utf8) }
    private static func keyContext(_ tenantID: String, _ keyID: String) -> Data { Data("tenantsync data key of \(tenantID) under \(keyID)".utf8) }
}
