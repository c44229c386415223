import ArgumentParser
import Foundation

/// `tenantsync tenants show <tenant>`: the tenant's registry entry (secrets as `***`) and its worker.
struct TenantsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a tenant's configuration (secrets as ***) and its worker.")

    @OptionGroup var api: APIOptions

    @Argument(help: "The tenant to show.")
    var tenant: String

    @Flag(help: "Print the whole answer as JSON, status included.")
    var json = false

    func run() throws {
        let status = try api.request("GET", "/api/tenants/\(tenant)")
        if json {
            print(try TenantJSON.pretty(status))
            return
        }
        print(try TenantJSON.pretty(status["configuration"] ?? [:]))
        let pid = (status["pid"] as? Int).map { ", pid \($0)" } ?? ""
        print("worker: \(status["state"] ?? "?")\(pid); owner \(status["owner"] as? String ?? "-"); next sync \(StatusCommand.nextSync(status))")
    }
}
