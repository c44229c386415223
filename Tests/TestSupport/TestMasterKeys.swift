import Foundation

/// Master keys for tests, each in a file of its own that lives as long as the test process.
public enum TestMasterKeys {
    /// The key every test supervisor encrypts secret settings with, unless the test says otherwise.
    public static let standard = "VGVuYW50c3luYyB0ZXN0IG1hc3RlciBrZXkgLSBvbmU="
    /// A second key, for rotations.
    public static let other = "VGVuYW50c3luYyB0ZXN0IG1hc3RlciBrZXkgLSB0d28="

    /// A file holding `key` (base64), created at the first use.
    public static func file(_ key: String = standard) throws -> String {
        let safe = String(key.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        let name = "tenantsync-test-master-key-\(getpid())-\(safe)"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        if !FileManager.default.fileExists(atPath: path) {
            try (key + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        return path
    }
}
