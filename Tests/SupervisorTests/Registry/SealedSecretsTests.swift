import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Sealed secret settings: AES-256-GCM under a data key wrapped by the master key")
struct SealedSecretsTests {
    static let standard = try! MasterKey(base64: TestMasterKeys.standard, origin: "test")
    static let other = try! MasterKey(base64: TestMasterKeys.other, origin: "test")
    static let secrets = ["consumer_secret": "cs_very_secret", "consumer_key": "ck_key"]

    @Test("sealed secrets open with the key they were sealed under, and hold no plaintext")
    func roundTrip() throws {
        let keyring = MasterKeyring(current: Self.standard)
        let sealed = try SealedSecrets.seal(Self.secrets, tenantID: "t", keyring: keyring)
        #expect(sealed.masterKeyID == Self.standard.id)
        #expect(try sealed.open(tenantID: "t", keyring: keyring) == Self.secrets)
        let bytes = Data(sealed.ciphertext + sealed.wrappedDataKey)
        #expect(bytes.range(of: Data("cs_very_secret".utf8)) == nil)
        // A fresh data key every time: the same secrets never seal to the same bytes.
        #expect(try SealedSecrets.seal(Self.secrets, tenantID: "t", keyring: keyring).ciphertext != sealed.ciphertext)
    }

    @Test("another tenant's row, another key, or altered bytes do not open; a missing key is named")
    func refusals() throws {
        let keyring = MasterKeyring(current: Self.standard)
        let sealed = try SealedSecrets.seal(Self.secrets, tenantID: "t", keyring: keyring)
        #expect(throws: SecretsError.self) { try sealed.open(tenantID: "u", keyring: keyring) }
        var altered = sealed
        altered.ciphertext[altered.ciphertext.count - 1] ^= 1
        #expect(throws: SecretsError.self) { try altered.open(tenantID: "t", keyring: keyring) }
        do {
            _ = try sealed.open(tenantID: "t", keyring: MasterKeyring(current: Self.other))
            Issue.record("opened under another key")
        } catch {
            #expect(error.code == .unknownMasterKey)
            #expect(error.description.contains(Self.standard.id))
            #expect(error.description.contains(Self.other.id))
        }
        #expect(throws: SecretsError.self) { try SealedSecrets.seal(Self.secrets, tenantID: "t", keyring: MasterKeyring(current: nil)) }
    }

    @Test("re-wrapping moves the data key under the new master key; the ciphertext stays")
    func rewrap() throws {
        let sealed = try SealedSecrets.seal(Self.secrets, tenantID: "t", keyring: MasterKeyring(current: Self.standard))
        let rotating = MasterKeyring(current: Self.other, previous: [Self.standard])
        let rewrapped = try sealed.rewrapped(tenantID: "t", under: Self.other, keyring: rotating)
        #expect(rewrapped.masterKeyID == Self.other.id)
        #expect(rewrapped.ciphertext == sealed.ciphertext)
        #expect(try rewrapped.open(tenantID: "t", keyring: MasterKeyring(current: Self.other)) == Self.secrets)
    }

    @Test("a master key is 32 bytes of base64; its id comes from its hash")
    func keys() throws {
        #expect(Self.standard.id.hasPrefix("mk_") && Self.standard.id.count == 19)
        #expect(Self.standard.id != Self.other.id)
        #expect(throws: ConfigurationError.self) { try MasterKey(base64: "c2hvcnQ=", origin: "test") }
        let (generated, text) = MasterKey.generate()
        #expect(try MasterKey(base64: text, origin: "test").id == generated.id)
    }
}
