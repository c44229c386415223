import ArgumentParser

/// `tenantsync restart <tenant>`: Stop a tenant's worker gracefully, then start a new one (`POST /api/tenants/{id}/restart`).
struct RestartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restart", abstract: "Stop a tenant's worker gracefully, then start a new one.")

    @OptionGroup var api: APIOptions

    @Argument(help: "The tenant whose worker to restart.")
    var tenant: String

    func run() throws {
        try TenantControl.perform("restart", tenant: tenant, api: api)
    }
}
