import ArgumentParser

/// `tenantsync kill <tenant>`: SIGKILL a tenant's worker now; it stays stopped until started (`POST /api/tenants/{id}/kill`).
struct KillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kill", abstract: "SIGKILL a tenant's worker now; it stays stopped until started.")

    @OptionGroup var api: APIOptions

    @Argument(help: "The tenant whose worker to kill.")
    var tenant: String

    func run() throws {
        try TenantControl.perform("kill", tenant: tenant, api: api)
    }
}
