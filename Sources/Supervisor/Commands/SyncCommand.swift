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

    @Option(name: .customLong("start-date"), help: "Only records from this date (YYYY-MM-DD).")
    var startDate: String?

    @Option(name: .customLong("end-date"), help: "Only records up to this date (YYYY-MM-DD).")
    var endDate: String?

    @Flag(help: "Wait for the run to finish, printing progress.")
    var wait = false

    func validate() throws {
        guard all != (tenant != nil) else { throw ValidationError("give either --all or one tenant") }
    }

    func run() throws {
        let path = tenant.map { "/api/tenants/\($0)/sync" } ?? "/api/sync"
        var query: [String] = []
        if full { query.append("full=true") }
        if let startDate { query.append("start_date=\(startDate)") }
        if let endDate { query.append("end_date=\(endDate)") }
        let accepted = try api.request("POST", path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
        guard let runID = accepted["run_id"] as? String else { throw ValidationError("the supervisor did not return a run id") }
        print("run \(runID) started")
        guard wait else { return }
        var lastLines: [String] = []
        // On a terminal, one line per tenant is redrawn in place; otherwise changed lines are appended.
        let terminal = isatty(STDOUT_FILENO) == 1
        while true {
            let run = try api.request("GET", "/api/runs/\(runID)")
            let tenants = run["tenants"] as? [[String: Any]] ?? []
            let lines = tenants.map(RunPrinter.line(for:))
            if lines != lastLines {
                if terminal {
                    if !lastLines.isEmpty { print("\u{1B}[\(lastLines.count)A", terminator: "") }
                    for line in lines { print("\u{1B}[2K" + line) }
                } else {
                    for line in lines where !lastLines.contains(line) { print(line) }
                }
                fflush(nil)
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
            let page = progress["page"] as? Int ?? 0
            let pages = progress["pages"] as? Int
            return "\(id): \(bar(page: page, pages: pages)) \(progress["stream"] ?? "") step \(progress["step"] ?? "")/\(progress["steps"] ?? "") page \(page)/\(pages.map(String.init) ?? "?") fetched \(counts["fetched"] ?? 0)"
        }
        let counts = tenant["counts"] as? [String: Any] ?? [:]
        var line = "\(id): \(status)"
        if status != "queued" && status != "running" {
            line += " fetched \(counts["fetched"] ?? 0) created \(counts["created"] ?? 0) updated \(counts["updated"] ?? 0) unchanged \(counts["unchanged"] ?? 0) rejected \(counts["rejected"] ?? 0)"
        }
        if let error = tenant["error"] as? String { line += " error: \(error)" }
        return line
    }

    /// `[#####-----]` for a page count, or a plain marker when the total is unknown.
    static func bar(page: Int, pages: Int?, width: Int = 20) -> String {
        guard let pages, pages > 0 else { return "[" + String(repeating: "~", count: width) + "]" }
        let filled = min(width, page * width / pages)
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }
}
