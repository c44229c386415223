import ArgumentParser
import Foundation
import Logging
import SupervisorCore

/// `tenantsync serve`: runs the supervisor in the foreground until SIGTERM or Ctrl-C.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the supervisor and its HTTP API.")

    @Option(name: .shortAndLong, help: "Path of the JSON configuration file.")
    var config: String = "tenantsync.json"

    @Option(help: "Override the API port from the configuration (0 picks a free one).")
    var port: Int?

    @Option(help: "Write the bound API port to this file once listening.")
    var portFile: String?

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "tenantsync")
        // Hummingbird's request metrics go through swift-metrics' process-wide factory; this one hands
        // them to the supervisor's own registry.
        TaskLocalMetricsFactory.bootstrap()
        var configuration: SupervisorConfiguration
        do {
            configuration = try SupervisorConfiguration.load(path: config)
        } catch {
            throw ValidationError(error.message)
        }
        if let port { configuration.port = port }
        let portFile = self.portFile
        let supervisor = try await SupervisorApp(configuration: configuration, logger: logger) { port in
            if let portFile {
                try? String(port).write(toFile: portFile, atomically: true, encoding: .utf8)
            }
        }
        try await supervisor.run()
    }
}
