import Logging
import Synchronization

/// Forwards to another log handler until the server it logs for is being torn down.
///
/// ``DemoUpstreamServer/withRunning(logger:isolation:_:)`` stops the server by cancelling its task,
/// and Hummingbird logs that cancellation as an error on every stop. Those lines say nothing about a
/// test, so the handler drops whatever is logged once the teardown has begun.
struct ShutdownQuietLogHandler: LogHandler {
    /// Set when teardown begins; shared by every copy of the handler.
    final class Switch: Sendable {
        private let stopping = Atomic(false)

        var isStopping: Bool { self.stopping.load(ordering: .relaxed) }

        func stop() {
            self.stopping.store(true, ordering: .relaxed)
        }
    }

    private var base: any LogHandler
    private let teardown: Switch

    /// A logger like `logger` that goes quiet once `teardown` is switched.
    static func logger(wrapping logger: Logger, teardown: Switch) -> Logger {
        let handler = ShutdownQuietLogHandler(base: logger.handler, teardown: teardown)
        return Logger(label: logger.label, factory: { _ in handler })
    }

    private init(base: any LogHandler, teardown: Switch) {
        self.base = base
        self.teardown = teardown
    }

    func log(event: LogEvent) {
        guard !self.teardown.isStopping else { return }
        self.base.log(event: event)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.base[metadataKey: key] }
        set { self.base[metadataKey: key] = newValue }
    }

    var metadata: Logger.Metadata {
        get { self.base.metadata }
        set { self.base.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { self.base.metadataProvider }
        set { self.base.metadataProvider = newValue }
    }

    var logLevel: Logger.Level {
        get { self.base.logLevel }
        set { self.base.logLevel = newValue }
    }
}
