import Foundation
import Logging
import SupervisorCore
import Synchronization
import TestSupport

/// The log lines of an in-process supervisor, for tests that read them (pass `log.logger` to
/// ``SupervisorTestHarness/withRunningSupervisor(_:workerEnvironment:logger:_:)``).
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
}
