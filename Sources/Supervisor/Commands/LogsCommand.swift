import ArgumentParser
import Foundation

/// `tenantsync logs`: recent lines of one tenant or all, optionally followed, pm2-style.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show (and follow) tenant logs.",
        discussion: "Lines come from the supervisor's in-memory tail; the files under the data directory keep every line."
    )

    @OptionGroup var api: APIOptions

    @Argument(help: "Only this tenant; all tenants when omitted.")
    var tenant: String?

    @Option(help: "How many recent lines to show.")
    var lines = 100

    @Flag(name: [.customShort("f"), .long], help: "Keep printing new lines as they arrive.")
    var follow = false

    @Option(help: "Minimum level: trace, debug, info, notice, warn, error or critical.")
    var level: String?

    @Option(help: "Only lines whose message contains this text (case-insensitive).")
    var grep: String?

    @Flag(help: "Print one JSON object per line.")
    var json = false

    func validate() throws {
        guard lines >= 0 else { throw ValidationError("--lines must not be negative") }
    }

    func run() throws {
        let colour = !json && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        var after: UInt64?
        var limit = lines
        while true {
            let object = try api.request("GET", path(limit: limit, after: after))
            let entries = object["lines"] as? [[String: Any]] ?? []
            if after != nil, limit > 0, entries.count >= limit {
                FileHandle.standardError.write(Data("… more lines arrived than one poll shows; the log files have them all\n".utf8))
            }
            for entry in entries {
                print(render(entry, colour: colour))
                if let sequence = (entry["seq"] as? NSNumber)?.uint64Value { after = max(after ?? 0, sequence) }
            }
            guard follow else { return }
            fflush(nil)
            after = after ?? 0
            limit = 1000
            Thread.sleep(forTimeInterval: 0.5)
        }
    }

    private func path(limit: Int, after: UInt64?) -> String {
        var query = [URLQueryItem(name: "lines", value: String(limit))]
        if let level { query.append(URLQueryItem(name: "level", value: level)) }
        if let grep { query.append(URLQueryItem(name: "grep", value: grep)) }
        if let after { query.append(URLQueryItem(name: "after", value: String(after))) }
        var components = URLComponents()
        components.path = tenant.map { "/api/tenants/\($0)/logs" } ?? "/api/logs"
        components.queryItems = query
        return components.string ?? components.path
    }

    private func render(_ entry: [String: Any], colour: Bool) -> String {
        if json {
            let data = (try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
        let tenant = entry["tenant"] as? String ?? "?"
        var line = "\(entry["timestamp"] ?? "") \(String(describing: entry["level"] ?? "info").uppercased())"
        if let pid = entry["pid"] { line += " pid=\(pid)" }
        if let run = entry["run_id"] { line += " run=\(run)" }
        if let stream = entry["stream"] { line += " stream=\(stream)" }
        if entry["source"] as? String == "supervisor" { line += " [supervisor]" }
        line += " \(entry["message"] ?? "")"
        if let fields = entry["fields"] as? [String: Any] {
            for key in fields.keys.sorted() { line += " \(key)=\(fields[key] ?? "")" }
        }
        let prefix = "\(tenant) |"
        guard colour else { return "\(prefix) \(line)" }
        return "\u{1B}[\(Self.colourCode(for: tenant))m\(prefix)\u{1B}[0m \(line)"
    }

    /// A stable colour per tenant, so one tenant keeps its colour across runs.
    static func colourCode(for tenant: String) -> Int {
        let palette = [36, 32, 33, 35, 34, 96, 92, 93, 95, 94]
        let hash = tenant.utf8.reduce(UInt32(5381)) { ($0 &<< 5) &+ $0 &+ UInt32($1) }
        return palette[Int(hash % UInt32(palette.count))]
    }
}
