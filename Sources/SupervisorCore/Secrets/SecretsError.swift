/// Secret settings that could not be sealed or opened; names the tenant and the master key, never a secret.
public struct SecretsError: Error, CustomStringConvertible, Sendable {
    /// What went wrong: a closed set.
    public struct Code: Hashable, Sendable {
        private enum Value: Hashable, Sendable {
            case noMasterKey, unknownMasterKey, openFailed, sealFailed
        }

        private let value: Value
        /// A secret setting to store and no master key given.
        public static let noMasterKey = Code(value: .noMasterKey)
        /// Secrets sealed under a master key this supervisor was not given.
        public static let unknownMasterKey = Code(value: .unknownMasterKey)
        /// The key with the right id does not open the secrets: the row was altered.
        public static let openFailed = Code(value: .openFailed)
        /// Sealing failed (should not happen).
        public static let sealFailed = Code(value: .sealFailed)
    }

    public let code: Code
    public let tenantID: String
    /// The master key involved, if any.
    public let keyID: String?
    /// The keys this supervisor holds, for ``Code/unknownMasterKey``.
    let held: [String]

    init(_ code: Code, tenantID: String, keyID: String? = nil, held: [String] = []) {
        self.code = code
        self.tenantID = tenantID
        self.keyID = keyID
        self.held = held
    }

    public var description: String {
        switch code {
        case .noMasterKey:
            return "tenant \(tenantID) has secret settings and no master key was given to encrypt them: set TENANTSYNC_MASTER_KEY or master_key_file"
        case .unknownMasterKey:
            let holding = held.isEmpty ? "no master key was given" : "this supervisor holds \(held.joined(separator: ", "))"
            return "tenant \(tenantID)'s secret settings are encrypted under master key \(keyID ?? "?"), and \(holding): "
                + "give it that key (TENANTSYNC_MASTER_KEY, master_key_file, or previous_master_key_files during a rotation)"
        case .openFailed:
            return "tenant \(tenantID)'s secret settings do not open with master key \(keyID ?? "?"): the stored row was altered"
        default:
            return "tenant \(tenantID)'s secret settings could not be encrypted under master key \(keyID ?? "?")"
        }
    }
}
