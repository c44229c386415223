import ArgumentParser
import Foundation

/// `tenantsync status`: a table of every tenant's worker.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show every tenant's worker.")

    @OptionGroup var api: APIOptions

    @Flag(help: "Print the raw JSON.")
    var json = false

    func run() throws {
        let object = try api.request("GET", "/api/tenants")
        if json {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let tenants = object["tenants"] as? [[String: Any]] ?? []
        let header = ["TENANT", "STATE", "OWNER", "PID", "UPTIME", "RESTARTS", "CPU", "RSS", "LAST SYNC", "NEXT SYNC", "LOG DROPS", "PROGRESS"]
        var rows: [[String]] = [header]
        for tenant in tenants {
            let progress = (tenant["progress"] as? [String: Any]).map { p in
                "\(tenant["current_run_id"] ?? "") \(p["stream"] ?? "") step \(p["step"] ?? "")/\(p["steps"] ?? "") page \(p["page"] ?? "")/\(p["pages"] ?? "?")"
            } ?? tenant["waiting_for"] as? String ?? "-"
            rows.append([
                "\(tenant["id"] ?? "")",
                "\(tenant["state"] ?? "")",
                tenant["owner"] as? String ?? "-",
                (tenant["pid"] as? Int).map(String.init) ?? "-",
                (tenant["uptime_seconds"] as? Double).map { Self.duration($0) } ?? "-",
                "\(tenant["restarts"] ?? 0)",
                (tenant["cpu_percent"] as? Double).map { String(format: "%.1f%%", $0) } ?? "-",
                (tenant["rss_bytes"] as? Int).map { String(format: "%.1f MiB", Double($0) / 1_048_576) } ?? "-",
                (tenant["last_sync"] as? [String: Any]).map(Self.lastSync) ?? "-",
                Self.nextSync(tenant),
                "\(tenant["dropped_log_lines"] ?? 0)",
                progress,
            ])
        }
        print(TextTable.render(rows))
    }

    /// `succeeded 2026-01-01T10:00:00Z +12 ~3 =80`: status, end time, created, updated, unchanged.
    static func lastSync(_ sync: [String: Any]) -> String {
        let counts = sync["counts"] as? [String: Any] ?? [:]
        return "\(sync["status"] ?? "?") \(sync["finished_at"] ?? "") +\(counts["created"] ?? 0) ~\(counts["updated"] ?? 0) =\(counts["unchanged"] ?? 0)"
    }

    /// When the tenant's schedule fires next (`2026-01-01T10:15:00Z`), `paused`, or `-` for on demand.
    static func nextSync(_ tenant: [String: Any]) -> String {
        if tenant["schedule"] != nil, tenant["schedule_paused"] as? Bool == true { return "paused" }
        return tenant["next_sync_at"] as? String ?? "-"
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(total % 60)s" }
        return "\(total / 3600)h\((total % 3600) / 60)m"
    }
}
