import ArgumentParser
import CurlHTTP
import Foundation

/// `tenantsync logs`: recent lines of one tenant or all, optionally followed, pm2-style.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show (and follow) tenant logs.",
        discussion: """
            Recent lines come from the supervisor's memory, older ones from the tenant's log files. With -f the \
            command keeps one Server-Sent Events stream open, reconnects where it left off if the connection \
            drops, and ends with Ctrl-C.
            """
    )

    /// When the tenant prefix is coloured.
    enum ColorMode: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

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

    @Option(name: .customLong("color"), help: "Colour the tenant prefix: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorMode = .auto

    func validate() throws {
        guard lines >= 0 else { throw ValidationError("--lines must not be negative") }
    }

    func run() throws {
        let colour: Bool
        switch color {
        case .always: colour = !json
        case .never: colour = false
        case .auto: colour = !json && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        }
        guard follow else {
            let object = try api.request("GET", path(limit: lines, follow: false))
            for entry in object["lines"] as? [[String: Any]] ?? [] {
                print(render(entry, colour: colour))
            }
            return
        }
        try LogStreamFollower(api: api, initialPath: path(limit: lines, follow: true), resumePath: path(limit: 0, follow: true)).run { event in
            switch event.name {
            case "log":
                guard let entry = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8))) as? [String: Any] else { return }
                print(render(entry, colour: colour))
            case "dropped":
                let object = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8))) as? [String: Any]
                let message = object?["message"] as? String ?? "dropped lines: this follower fell behind"
                FileHandle.standardError.write(Data("tenantsync: \(message)\n".utf8))
            default:
                break
            }
        }
    }

    private func path(limit: Int, follow: Bool) -> String {
        var query = [URLQueryItem(name: "lines", value: String(limit))]
        if let level { query.append(URLQueryItem(name: "level", value: level)) }
        if let grep { query.append(URLQueryItem(name: "grep", value: grep)) }
        if follow { query.append(URLQueryItem(name: "follow", value: "true")) }
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
