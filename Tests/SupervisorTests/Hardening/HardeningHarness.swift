import Foundation
import Logging
import SupervisorCore
import Synchronization
import TestSupport

/// An in-process supervisor whose log lines the test can read.
enum HardeningHarness {
    /// The supervisor's log lines, each as `level message key=value …`.
    final class CapturedLog: Sendable {
        private let lines = Mutex<[String]>([])

        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }

        var logger: Logger {
            var logger = Logger(label: "hardening-test") { _ in Handler(log: self) }
            logger.logLevel = .info
            return logger
        }
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            let merged = self.metadata.merging(metadata ?? [:]) { _, new in new }
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            log.append("\(level) \(message) \(fields)")
        }
    }

    /// Starts a supervisor logging to `log`, runs `body` with its API client once it listens, then stops it.
    static func withSupervisor<T: Sendable>(
        _ configuration: SupervisorConfiguration, log: CapturedLog, workerEnvironment: [String: String] = [:],
        _ body: @Sendable (APIClient) async throws -> T
    ) async throws -> T {
        let ports = AsyncInbox<Int>()
        let supervisor = try await SupervisorApp(configuration: configuration, logger: log.logger, workerEnvironment: workerEnvironment) { port in
            ports.push(port)
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await supervisor.run() }
            do {
                guard let port = try await ports.next(timeout: .seconds(60)) else { throw TestSupportError("supervisor did not listen") }
                let result = try await body(APIClient(port: port))
                await supervisor.shutdown()
                try await group.waitForAll()
                return result
            } catch {
                await supervisor.shutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }
}
