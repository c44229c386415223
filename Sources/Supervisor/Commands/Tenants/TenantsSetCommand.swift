import ArgumentParser
import Foundation

/// `tenantsync tenants set <tenant> NAME=VALUE…`: changes some of a tenant's settings (`PATCH /api/tenants/{id}`).
struct TenantsSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change some of a tenant's settings, leaving the others as they are.",
        discussion: "NAME=VALUE sets a setting; --unset NAME removes one. Use --setting-from-env for secrets."
    )

    @OptionGroup var api: APIOptions

    @Argument(help: "The tenant to change.")
    var tenant: String

    @Argument(help: "Settings to set, NAME=VALUE.")
    var assignments: [String] = []

    @OptionGroup var settings: TenantSettingOptions

    @Option(help: "A setting to remove (repeatable).")
    var unset: [String] = []

    @Option(help: "A new schedule (\"every 15m\", a cron object as JSON), or default for the configuration's default_schedule.")
    var schedule: String?

    @Flag(help: "Enable the tenant.")
    var enabled = false

    @Flag(help: "Disable the tenant: its worker stops on every supervisor.")
    var disabled = false

    @Option(name: .customLong("if-match"), help: "Change the tenant only if it is at this version (see `tenants show`).")
    var ifMatch: Int?

    func run() throws {
        var values: [String: Any] = [:]
        for pair in assignments {
            let (name, value) = try TenantSettingOptions.split(pair, option: "set")
            values[name] = value
        }
        for (name, value) in try settings.values() { values[name] = value }
        for name in unset { values[name] = NSNull() }
        var patch: [String: Any] = [:]
        if !values.isEmpty { patch["settings"] = values }
        guard !(enabled && disabled) else { throw ValidationError("give --enabled or --disabled, not both") }
        if enabled || disabled { patch["enabled"] = enabled }
        if let schedule {
            if schedule == "default" {
                patch["schedule"] = NSNull()
            } else if schedule.hasPrefix("{"), let object = try? JSONSerialization.jsonObject(with: Data(schedule.utf8)) {
                patch["schedule"] = object
            } else {
                patch["schedule"] = schedule
            }
        }
        guard !patch.isEmpty else { throw ValidationError("nothing to change: give NAME=VALUE, --unset, --schedule or --enabled/--disabled") }
        let headers = ifMatch.map { [(name: "If-Match", value: "\"\($0)\"")] } ?? []
        let answer = try api.request("PATCH", "/api/tenants/\(tenant)", body: try TenantJSON.data(patch), headers: headers)
        print(TenantJSON.outcome(of: answer, tenant: tenant))
    }
}
