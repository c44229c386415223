import ArgumentParser
import Foundation
import SupervisorCore

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
        let started = Date()
        while true {
            let run = try api.decode(RunSnapshot.self, "GET", "/api/runs/\(runID)")
            let elapsed = Int(Date().timeIntervalSince(started))
            let lines = run.tenants.map { RunPrinter.line(for: $0, elapsedSeconds: elapsed) }
            if lines != lastLines {
                if terminal {
                    // Redraw the run's lines in place.
                    if !lastLines.isEmpty { print("\u{1B}[\(lastLines.count)A", terminator: "") }
                    for line in lines { print("\u{1B}[2K" + line) }
                } else {
                    for line in lines where !lastLines.contains(line) { print(line) }
                }
                fflush(nil)
                lastLines = lines
            }
            if !run.status.isLive {
                print("run \(runID) \(run.status.rawValue)")
                if run.status != .succeeded { throw ExitCode(1) }
                return
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
    }
}
