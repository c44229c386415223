import ArgumentParser
import Foundation

/// `tenantsync sync`: starts a sync of every tenant or of one, optionally waiting for the end.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "Start a sync of all tenants or of one.")

    @OptionGroup var api: APIOptions

    @Flag(help: "Sync every enabled tenant.")
    var all = false

    @Argument(help: "The tenant to sync.")
    var tenant: String?

    @Flag(help: "Scan everything instead of resuming from checkpoints.")
    var full = false

    @Flag(help: "Wait for the run to finish, printing progress.")
    var wait = false

    func validate() throws {
        guard all != (tenant != nil) else { throw ValidationError("give either --all or one tenant") }
    }

    func run() throws {
        let path = tenant.map { "/api/tenants/\($0)/sync" } ?? "/api/sync"
        let accepted = try api.request("POST", path + (full ? "?full=true" : ""))
        guard let runID = accepted["run_id"] as? String else { throw ValidationError("the supervisor did not return a run id") }
        print("run \(runID) started")
        guard wait else { return }
        var lastLines: [String] = []
        while true {
            let run = try api.request("GET", "/api/runs/\(runID)")
            let tenants = run["tenants"] as? [[String: Any]] ?? []
            let lines = tenants.map(RunPrinter.line(for:))
            if lines != lastLines {
                for line in lines where !lastLines.contains(line) { print(line) }
                lastLines = lines
            }
            let status = run["status"] as? String ?? ""
            if !["queued", "running"].contains(status) {
                print("run \(runID) \(status)")
                if status != "succeeded" { throw ExitCode(1) }
                return
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
    }
}

/// One line per tenant of a run: status, progress or counts.
enum RunPrinter {
    static func line(for tenant: [String: Any]) -> String {
        let id = tenant["tenant_id"] as? String ?? "?"
        let status = tenant["status"] as? String ?? "?"
        if let progress = tenant["progress"] as? [String: Any] {
            let counts = progress["counts"] as? [String: Any] ?? [:]
            return "\(id): \(progress["stream"] ?? "") step \(progress["step"] ?? "")/\(progress["steps"] ?? "") page \(progress["page"] ?? "")/\(progress["pages"] ?? "?") fetched \(counts["fetched"] ?? 0)"
        }
        let counts = tenant["counts"] as? [String: Any] ?? [:]
        var line = "\(id): \(status)"
        if status != "queued" && status != "running" {
            line += " fetched \(counts["fetched"] ?? 0) created \(counts["created"] ?? 0) updated \(counts["updated"] ?? 0) unchanged \(counts["unchanged"] ?? 0) rejected \(counts["rejected"] ?? 0)"
        }
        if let error = tenant["error"] as? String { line += " error: \(error)" }
        return line
    }
}
