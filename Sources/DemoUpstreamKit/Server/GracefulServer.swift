import Logging
import ServiceLifecycle

/// Runs an HTTP server (a Hummingbird `Application`, or any `Service`) while a body runs, then stops it
/// with a graceful shutdown rather than by cancelling its task.
///
/// Cancelling a SwiftNIO server's task while it has accepted a connection it has not served yet traps
/// (`Deinited NIOAsyncWriter without calling finish()`): a worker process still fetching from the demo
/// upstream when a test ended crashed the whole test process once in a fresh-clone run. A graceful
/// shutdown closes the listening socket, serves what was accepted, and ends when the requests in hand
/// end; a handler still busy after `drainTimeout` (an upstream fault holding a page) is cancelled then.
public enum GracefulServer {
    /// Runs `service` until `body` returns or throws, then shuts it down gracefully.
    ///
    /// - Parameters:
    ///   - executor: where the service runs (its handlers and their child tasks); `nil` for the default.
    ///   - drainTimeout: how long the shutdown waits for the requests in hand before cancelling them.
    ///   - onStopped: called once the server's task has ended, for whatever reason (before it listened too).
    /// - Throws: what `body` throws; the server's own error instead when it stopped with one before `body` ended.
    public static func withRunning<Result>(
        _ service: some Service,
        logger: Logger,
        executor: (any TaskExecutor)? = nil,
        drainTimeout: Duration = .seconds(5),
        onStopped: @escaping @Sendable () -> Void = {},
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> Result
    ) async throws -> Result {
        // Only the service prefers `executor`; the group around it runs where its caller does. The group
        // waits on an `AsyncAlgorithms` merge, whose lock is held while it registers a continuation: a task
        // preferring another executor can hop there in between, and a cancellation of the group then
        // deadlocked the test process (apple/swift-async-algorithms#430).
        let preferring: any Service = executor.map { ExecutorPreferringService(wrapped: service, executor: $0) } ?? service
        let services = ServiceGroup(configuration: .init(services: [preferring], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            group.addTask {
                defer { onStopped() }
                try await services.run()
            }
            let outcome: Swift.Result<Result, any Error>
            do {
                outcome = .success(try await body())
            } catch {
                outcome = .failure(error)
            }
            await services.triggerGracefulShutdown()
            group.addTask {
                try await Task.sleep(for: drainTimeout)
                throw CancellationError()
            }
            // The server's end, or the drain timeout's, whichever comes first.
            let serverError: (any Error)?
            do {
                try await group.next()
                serverError = nil
            } catch {
                serverError = error is CancellationError ? nil : error
            }
            group.cancelAll()
            if case .failure = outcome, let serverError { throw serverError }
            return try outcome.get()
        }
    }
}

/// A service whose `run()` prefers a task executor of its own, so what runs it need not.
private struct ExecutorPreferringService<Wrapped: Service>: Service {
    let wrapped: Wrapped
    let executor: any TaskExecutor

    func run() async throws {
        try await withTaskExecutorPreference(executor) {
            try await wrapped.run()
        }
    }
}
