import Foundation

/// Writes an `Encodable` configuration as the JSON file `tenantsync serve` reads.
public enum ConfigurationFile {
    public static func write(_ configuration: some Encodable, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(configuration).write(to: URL(fileURLWithPath: path))
    }
}
