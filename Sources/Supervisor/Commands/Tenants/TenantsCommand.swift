import ArgumentParser

/// `tenantsync tenants`: the tenant registry through the HTTP API: list, show, add, change, remove,
/// check a tenant's connection, and import a file's tenants once.
struct TenantsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenants",
        abstract: "List, add, change, remove and check tenants in the registry.",
        subcommands: [
            TenantsListCommand.self, TenantsShowCommand.self, TenantsAddCommand.self, TenantsSetCommand.self,
            TenantsRemoveCommand.self, TenantsCheckCommand.self, TenantsImportCommand.self,
        ]
    )
}
