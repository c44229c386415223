import ArgumentParser

/// `tenantsync stop <tenant>`: Stop a tenant's worker gracefully; it stays stopped until started (`POST /api/tenants/{id}/stop`).
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop a tenant's worker gracefully; it stays stopped until started.")

    @OptionGroup var api: APIOptions

    @Argument(help: "The tenant whose worker to stop.")
    var tenant: String

    func run() throws {
        try TenantControl.perform("stop", tenant: tenant, api: api)
    }
}
