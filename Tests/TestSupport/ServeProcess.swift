import Foundation

/// `tenantsync serve` running as a real child process, for tests of signals and process lifetime.
public struct ServeProcess: Sendable {
    public let process: Process
    /// Receives the supervisor's exit status.
    public let exits: AsyncInbox<Int32>
    /// A client of its API.
    public let api: APIClient
    /// The configuration file it was started with.
    public let configPath: String
    /// The scratch directory `start` created, removed by ``cleanUp()``.
    private let ownedDirectory: URL?

    /// Writes `configuration` into `directory` (a new scratch directory when `nil`), starts the
    /// supervisor on a free port, and waits until it listens.
    ///
    /// The caller must call ``cleanUp()`` when done (after stopping it with a signal, if the test does).
    public static func start(configuration: some Encodable, in directory: URL? = nil, environment: [String: String] = [:]) async throws -> ServeProcess {
        let ownedDirectory: URL?
        if directory == nil {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsync-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            ownedDirectory = scratch
        } else {
            ownedDirectory = nil
        }
        let directory = directory ?? ownedDirectory!
        let configPath = directory.appendingPathComponent("tenantsync.json").path
        try ConfigurationFile.write(configuration, to: configPath)
        let portFile = directory.appendingPathComponent("port").path
        let supervisor = Process()
        supervisor.executableURL = URL(fileURLWithPath: try Binaries.path(of: "tenantsync"))
        supervisor.arguments = ["serve", "--config", configPath, "--port", "0", "--port-file", portFile]
        supervisor.environment = ProcessInfo.processInfo.environment
            .merging(["LOG_LEVEL": "warning"]) { _, new in new }
            .merging(environment) { _, new in new }
        let exits = AsyncInbox<Int32>()
        supervisor.terminationHandler = { exits.push($0.terminationStatus) }
        try supervisor.run()
        do {
            let port = try await eventually("the supervisor to write its port") {
                (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
            }
            return ServeProcess(process: supervisor, exits: exits, api: APIClient(port: port), configPath: configPath, ownedDirectory: ownedDirectory)
        } catch {
            kill(supervisor.processIdentifier, SIGKILL)
            if let ownedDirectory { try? FileManager.default.removeItem(at: ownedDirectory) }
            throw error
        }
    }

    /// SIGKILLs the supervisor if it is still running (after a failed test) and removes the scratch
    /// directory `start` created.
    public func cleanUp() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        if let ownedDirectory { try? FileManager.default.removeItem(at: ownedDirectory) }
    }
}
