import ArgumentParser
import Foundation

/// JSON in and out of the `tenants` commands.
enum TenantJSON {
    /// `object` pretty-printed with sorted keys.
    static func pretty(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    static func data(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// The JSON in `path` (`-`: standard input).
    static func read(_ path: String) throws -> Any {
        let data: Data
        do {
            data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ValidationError("\(path) is not JSON: \(error.localizedDescription)")
        }
    }

    /// `"hotel-d added (version 12)"`: a line about a `PUT`, `PATCH` or `DELETE` answer.
    static func outcome(of answer: [String: Any], tenant: String) -> String {
        let version = (answer["tenant"] as? [String: Any])?["version"].map { " (version \($0))" } ?? ""
        for (key, word) in [("added", "added"), ("changed", "changed"), ("removed", "removed"), ("unchanged", "unchanged")] {
            if (answer[key] as? [String])?.contains(tenant) == true { return "\(tenant) \(word)\(key == "removed" ? "" : version)" }
        }
        return "\(tenant) stored\(version)"
    }
}
