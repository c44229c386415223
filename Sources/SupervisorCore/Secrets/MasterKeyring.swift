import Foundation

/// The master keys a supervisor holds: the current one, which wraps every data key it writes, and earlier
/// ones it still reads (during a rotation), all by id.
public struct MasterKeyring: Sendable {
    /// The key new secrets are sealed with; `nil` when none was given (no secret can then be stored).
    public let current: MasterKey?
    private let byID: [String: MasterKey]

    public init(current: MasterKey?, previous: [MasterKey] = []) {
        self.current = current
        var byID: [String: MasterKey] = [:]
        for key in previous { byID[key.id] = key }
        if let current { byID[current.id] = current }
        self.byID = byID
    }

    /// The key named `id`, if held.
    func key(id: String) -> MasterKey? { byID[id] }

    /// Every held key's id, the current one first.
    public var ids: [String] {
        (current.map { [$0.id] } ?? []) + byID.keys.filter { $0 != current?.id }.sorted()
    }

    /// The keys a configuration names: `TENANTSYNC_MASTER_KEY` (base64) or `TENANTSYNC_MASTER_KEY_FILE` or
    /// `master_key_file` for the current key; `TENANTSYNC_PREVIOUS_MASTER_KEYS` (base64, comma-separated) and
    /// `previous_master_key_files` for keys still read during a rotation.
    public static func load(
        _ configuration: SupervisorConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> MasterKeyring {
        var current: MasterKey?
        if let text = environment["TENANTSYNC_MASTER_KEY"], !text.isEmpty {
            current = try MasterKey(base64: text, origin: "TENANTSYNC_MASTER_KEY")
        } else if let path = environment["TENANTSYNC_MASTER_KEY_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) ?? configuration.masterKeyFile {
            current = try MasterKey(base64: try read(path), origin: "master key file \(path)")
        }
        var previous: [MasterKey] = []
        for text in (environment["TENANTSYNC_PREVIOUS_MASTER_KEYS"] ?? "").split(separator: ",") where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            previous.append(try MasterKey(base64: String(text), origin: "TENANTSYNC_PREVIOUS_MASTER_KEYS"))
        }
        for path in configuration.previousMasterKeyFiles {
            previous.append(try MasterKey(base64: try read(path), origin: "master key file \(path)"))
        }
        return MasterKeyring(current: current, previous: previous)
    }

    private static func read(_ path: String) throws(ConfigurationError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read the master key file \(path): \(error.localizedDescription)")
        }
    }
}
