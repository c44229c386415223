import ArgumentParser
import Foundation

/// `tenantsync tenants add <tenant>`: stores a new tenant (`PUT /api/tenants/{id}` with `If-None-Match: *`,
/// so an existing tenant is never overwritten by mistake).
struct TenantsAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a tenant; its connector checks the settings first.",
        discussion: "Settings come from --from (a tenant as JSON, - for standard input), then --setting and --setting-from-env over it."
    )

    @OptionGroup var api: APIOptions

    @Argument(help: "The new tenant's id.")
    var tenant: String

    @Option(help: "The connector, for example motopress or estimates.")
    var connector: String?

    @OptionGroup var settings: TenantSettingOptions

    @Option(help: "A file holding the tenant as JSON (- for standard input).")
    var from: String?

    @Option(help: "When it syncs unattended: \"every 15m\", or none for on demand only (default: the configuration's default_schedule).")
    var schedule: String?

    @Option(name: .customLong("webhook-url"), help: "A callback URL for runs of this tenant (repeatable).")
    var webhookURLs: [String] = []

    @Flag(help: "Store the tenant disabled: no worker until it is enabled.")
    var disabled = false

    func run() throws {
        var body = try from.map { path -> [String: Any] in
            guard let object = try TenantJSON.read(path) as? [String: Any] else { throw ValidationError("\(path) must hold one tenant, a JSON object") }
            return object
        } ?? [:]
        body["id"] = tenant
        if let connector { body["connector"] = connector }
        guard body["connector"] != nil else { throw ValidationError("give --connector (or a connector in --from)") }
        var values = body["settings"] as? [String: Any] ?? [:]
        for (name, value) in try settings.values() { values[name] = value }
        body["settings"] = values
        if let schedule { body["schedule"] = schedule == "none" ? NSNull() : schedule }
        if !webhookURLs.isEmpty { body["webhook_urls"] = webhookURLs }
        if disabled { body["enabled"] = false }
        let answer = try api.request("PUT", "/api/tenants/\(tenant)", body: try TenantJSON.data(body), headers: [(name: "If-None-Match", value: "*")])
        print(TenantJSON.outcome(of: answer, tenant: tenant))
    }
}
