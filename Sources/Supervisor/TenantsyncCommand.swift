import ArgumentParser

/// `tenantsync`: the supervisor and its operator commands.
@main
struct TenantsyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenantsync",
        abstract: "Keeps many tenants' data in sync with the SaaS systems they use.",
        subcommands: [ServeCommand.self, StatusCommand.self, SyncCommand.self, LogsCommand.self, StartCommand.self, StopCommand.self, RestartCommand.self, KillCommand.self, TenantsCommand.self, KeysCommand.self]
    )
}
