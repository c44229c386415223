import ArgumentParser

/// `tenantsync start <tenant>`: Start a tenant's worker (also clears an errored worker's crash history) (`POST /api/tenants/{id}/start`).
struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start a tenant's worker (also clears an errored worker's crash history).")

    @OptionGroup var api: APIOptions

    @Argument(help: "The tenant whose worker to start.")
    var tenant: String

    func run() throws {
        try TenantControl.perform("start", tenant: tenant, api: api)
    }
}

/// The shared body of `start`, `stop`, `restart` and `kill`.
enum TenantControl {
    static func perform(_ verb: String, tenant: String, api: APIOptions) throws {
        let answer = try api.request("POST", "/api/tenants/\(tenant)/\(verb)")
        let status = answer["tenant"] as? [String: Any] ?? [:]
        let pid = (status["pid"] as? Int).map { " (pid \($0))" } ?? ""
        print("\(tenant): \(verb) done; worker \(status["state"] ?? "?")\(pid)")
    }
}
