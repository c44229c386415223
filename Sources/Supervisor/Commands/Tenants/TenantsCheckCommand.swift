import ArgumentParser

/// `tenantsync tenants check <tenant>`: the connector's connection test, run by the tenant's worker.
struct TenantsCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Test a tenant's connection to its upstream with its stored settings.")

    @OptionGroup var api: APIOptions

    @Argument(help: "The tenant to check.")
    var tenant: String

    func run() throws {
        let answer = try api.request("POST", "/api/tenants/\(tenant)/check")
        print("\(tenant): \(answer["message"] as? String ?? "connection test passed")")
    }
}
