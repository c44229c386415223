import Foundation
import Testing
@testable import SupervisorCore

@Suite("Log settings in the configuration file")
struct LogSettingsTests {
    @Test("logs settings decode with defaults; data_directory resolves beside the configuration file")
    func decodeAndResolve() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsync-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tenantsync.json").path

        try Data(#"{"database_url": "postgresql://localhost/x", "logs": {"max_files": 3, "format": "json"}}"#.utf8).write(to: URL(fileURLWithPath: file))
        let defaults = try SupervisorConfiguration.load(path: file, environment: [:])
        #expect(defaults.logs == LogSettings(maxFiles: 3, format: .json))
        #expect(defaults.logs.maxFileBytes == 10 << 20)
        #expect(defaults.dataDirectory == directory.appendingPathComponent(".tenantsync").standardizedFileURL.path)

        try Data(#"{"database_url": "postgresql://localhost/x", "data_directory": "state/here"}"#.utf8).write(to: URL(fileURLWithPath: file))
        let relative = try SupervisorConfiguration.load(path: file, environment: [:])
        #expect(relative.dataDirectory == directory.appendingPathComponent("state/here").standardizedFileURL.path)
        #expect(LogSettings.logsDirectory(in: "/srv/tenantsync") == "/srv/tenantsync/logs")
    }

    @Test("bad logs settings are a clear configuration error")
    func invalid() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsync-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tenantsync.json").path
        try Data(#"{"database_url": "postgresql://localhost/x", "logs": {"max_files": 0}}"#.utf8).write(to: URL(fileURLWithPath: file))
        #expect(throws: ConfigurationError.self) { try SupervisorConfiguration.load(path: file, environment: [:]) }
        try Data(#"{"database_url": "postgresql://localhost/x", "logs": {"format": "xml"}}"#.utf8).write(to: URL(fileURLWithPath: file))
        do {
            _ = try SupervisorConfiguration.load(path: file, environment: [:])
            Issue.record("format xml was accepted")
        } catch {
            #expect(error.description.contains("logs.format"))
        }
    }
}
