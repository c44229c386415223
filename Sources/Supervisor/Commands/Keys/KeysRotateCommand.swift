import ArgumentParser
import Foundation
import SupervisorCore

/// `tenantsync keys rotate`: wraps every tenant's data key under the configuration's current master key.
struct KeysRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Re-wrap every tenant's secrets under the current master key, while supervisors run.",
        discussion: """
            Name the new key as master_key_file (or TENANTSYNC_MASTER_KEY) and the old one in previous_master_key_files, \
            give supervisors the same (then SIGHUP), run this, then drop the old key. Talks to the database directly.
            """
    )

    @Option(name: .shortAndLong, help: "Path of the JSON configuration file (its database and master keys).")
    var config: String = "tenantsync.json"

    func run() async throws {
        let configuration: SupervisorConfiguration
        do {
            configuration = try SupervisorConfiguration.load(path: config)
        } catch {
            throw ValidationError(error.message)
        }
        let summary = try await MasterKeyRotation.rotate(configuration)
        print("re-wrapped \(summary.rewrapped.count) tenant(s) under master key \(summary.keyID)")
        for (keyID, tenants) in summary.use.sorted(by: { $0.key < $1.key }) {
            print("\(keyID): \(tenants) tenant(s)")
        }
    }
}
