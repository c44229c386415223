import CurlHTTP
import IPC
import Logging
import Support

/// Runs a connector's connection test and words its outcome for the tenant's owner.
enum ConnectionTest {
    /// The result of `check` on `connector`, secrets masked.
    static func run(_ check: CheckConnection, connector: any Connector, masker: SecretMasker, logger: Logger) -> ConnectionCheckResult {
        do {
            let found = try connector.checkConnection(http: CurlHTTPClient(), logger: logger)
            logger.info("connection test passed", metadata: ["check.result": "\(found)"])
            return ConnectionCheckResult(checkID: check.checkID, passed: true, message: "connection test successful: \(found)")
        } catch {
            let message = masker.mask(advice(for: error))
            logger.warning("connection test failed", metadata: ["error": "\(message)"])
            return ConnectionCheckResult(checkID: check.checkID, passed: false, message: message, errorKind: error.code.resultKind)
        }
    }

    /// The error with what to do about it: refused credentials, a host that does not resolve, a TLS failure.
    static func advice(for error: SyncError) -> String {
        let lowered = error.message.lowercased()
        if error.code == .authentication {
            return "the upstream refused the credentials: \(error.message)"
        }
        if lowered.contains("resolve") {
            return "the upstream's host name does not resolve; check base_url: \(error.message)"
        }
        if lowered.contains("ssl") || lowered.contains("tls") || lowered.contains("certificate") {
            return "a secure connection to the upstream could not be made (TLS); check base_url and the site's certificate: \(error.message)"
        }
        if lowered.contains("refused") || lowered.contains("connect") {
            return "the upstream could not be reached; check base_url and that the site is up: \(error.message)"
        }
        if lowered.contains("http 404") {
            return "the upstream answered 404: base_url may not point at the site (or the plugin's API is off): \(error.message)"
        }
        return error.message
    }
}
