import Foundation

/// The settings of a systemd unit file by section, for tests: `[Service]` → `Type` → `["notify"]`.
///
/// Enough of systemd's syntax for the unit this repository ships: sections, `Key=value` lines (a key may
/// repeat), `#` and `;` comments. No line continuations, no specifiers.
struct SystemdUnit {
    private(set) var sections: [String: [String: [String]]] = [:]

    init(contentsOf url: URL) throws {
        var section = ""
        for rawLine in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: [:]][key, default: []].append(value)
        }
    }

    /// The last value of `key` in `section`, as systemd reads single-valued settings.
    func value(_ section: String, _ key: String) -> String? {
        sections[section]?[key]?.last
    }

    /// `KEY=value` lines of an environment file (`EnvironmentFile=`), comments and blank lines skipped.
    static func environmentFile(_ url: URL) throws -> [String: String] {
        var environment: [String: String] = [:]
        for rawLine in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return environment
    }

    /// Seconds of a systemd time span such as `30`, `30s`, `2min` or `1min 30s`.
    static func seconds(_ span: String) -> Double? {
        var total = 0.0
        for part in span.split(separator: " ") {
            let digits = part.prefix { $0.isNumber || $0 == "." }
            guard let number = Double(digits) else { return nil }
            switch part.dropFirst(digits.count) {
            case "", "s", "sec": total += number
            case "ms", "msec": total += number / 1000
            case "m", "min": total += number * 60
            case "h", "hr": total += number * 3600
            default: return nil
            }
        }
        return total
    }
}
