import ArgumentParser

/// `tenantsync tenants rm <tenant>`: removes a tenant from the registry; its worker stops wherever it runs.
struct TenantsRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a tenant; its worker stops on every supervisor.")

    @OptionGroup var api: APIOptions

    @Argument(help: "The tenant to remove.")
    var tenant: String

    @Option(name: .customLong("if-match"), help: "Remove the tenant only if it is at this version.")
    var ifMatch: Int?

    func run() throws {
        let headers = ifMatch.map { [(name: "If-Match", value: "\"\($0)\"")] } ?? []
        let answer = try api.request("DELETE", "/api/tenants/\(tenant)", body: nil, headers: headers)
        print(TenantJSON.outcome(of: answer, tenant: tenant))
    }
}
