import ArgumentParser
import Foundation

/// `tenantsync tenants ls`: every tenant in the registry with its version, source and worker.
struct TenantsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the tenants: registry version, source, worker state, next sync.")

    @OptionGroup var api: APIOptions

    @Flag(help: "Print the raw JSON.")
    var json = false

    func run() throws {
        let object = try api.request("GET", "/api/tenants")
        if json {
            print(try TenantJSON.pretty(object))
            return
        }
        var rows = [["TENANT", "CONNECTOR", "ENABLED", "VERSION", "SOURCE", "STATE", "OWNER", "NEXT SYNC"]]
        for tenant in object["tenants"] as? [[String: Any]] ?? [] {
            let configuration = tenant["configuration"] as? [String: Any] ?? [:]
            rows.append([
                "\(tenant["id"] ?? "")", "\(tenant["connector"] ?? "")", (tenant["enabled"] as? Bool ?? false) ? "yes" : "no",
                configuration["version"].map { "\($0)" } ?? "-", configuration["source"] as? String ?? "-",
                "\(tenant["state"] ?? "")", tenant["owner"] as? String ?? "-", StatusCommand.nextSync(tenant),
            ])
        }
        print(TextTable.render(rows))
    }
}
