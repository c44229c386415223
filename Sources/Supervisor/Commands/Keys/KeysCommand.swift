import ArgumentParser

/// `tenantsync keys`: the master keys that encrypt tenants' secret settings.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Generate a master key, or re-wrap every tenant under the current one.",
        subcommands: [KeysGenerateCommand.self, KeysRotateCommand.self]
    )
}
