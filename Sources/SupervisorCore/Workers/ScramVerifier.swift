import Crypto
import CryptoExtras
import Foundation

/// A PostgreSQL SCRAM-SHA-256 password verifier (RFC 5802, RFC 7677), computed by the supervisor so
/// that the server stores it as given instead of hashing the password itself.
///
/// The form is PostgreSQL's: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, each part
/// in base64. `ALTER ROLE … PASSWORD` with such a string stores it unchanged, and the worker's libpq then
/// runs the SCRAM exchange with the verifier's iteration count.
///
/// Iterations exist to slow down guessing a password a person chose. A worker's password is 32 random
/// bytes from the system's generator (256 bits), which no number of rounds makes easier or harder to
/// guess, so the verifier uses few. PostgreSQL's default of 4,096 cost every worker start a PBKDF2 in the
/// server and another in the worker's log-in: starting 200 workers took 10.16 s with a role per tenant
/// against 6.76 s with the shared identity on the same loaded machine (the shell loop's floor: 6.2–6.4 s).
struct ScramVerifier: Sendable {
    /// PBKDF2 rounds for a password of 256 random bits (see the type's summary).
    static let iterations = 16

    /// The verifier in PostgreSQL's text form.
    let text: String

    /// The verifier of `password` with a fresh 16-byte salt.
    init(password: String, iterations: Int = Self.iterations) throws {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        try self.init(password: password, salt: salt, iterations: iterations)
    }

    /// The verifier of `password` with `salt`: the same inputs always give the same text.
    init(password: String, salt: [UInt8], iterations: Int) throws {
        // Hi(password, salt, i) of RFC 5802 is PBKDF2 with HMAC-SHA-256 and the hash's length.
        let salted = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: SHA256.byteCount,
            unsafeUncheckedRounds: iterations)
        let clientKey = Data(HMAC<SHA256>.authenticationCode(for: Array("Client Key".utf8), using: salted))
        let storedKey = Data(SHA256.hash(data: clientKey))
        let serverKey = Data(HMAC<SHA256>.authenticationCode(for: Array("Server Key".utf8), using: salted))
        text = "SCRAM-SHA-256$\(iterations):\(Data(salt).base64EncodedString())$\(storedKey.base64EncodedString()):\(serverKey.base64EncodedString())"
    }
}
