import Logging
import Support

/// Retries the writes that end a tenant's part or a run (its row, its tenants' rows, its callbacks
/// in the outbox) until the database takes them: a run whose work has ended must not stay
/// `running`, without a callback, because the database blinked when it ended.
struct DurableWrites: Sendable {
    /// How long the retries go on once the supervisor is shutting down; after that the next
    /// supervisor to start on the database marks the run `interrupted` (and sends its callback).
    static let retryWindowAtShutdown = Duration.seconds(10)

    /// Whether the supervisor is shutting down.
    let stopping: LockedValue<Bool>

    /// Runs `write` until it succeeds, waiting 100 ms, doubling to 5 s, between tries; `nil` only if
    /// the supervisor shut down and the database stayed away through ``retryWindowAtShutdown``.
    ///
    /// Each write is idempotent (it changes only rows not ended yet), so a write that committed
    /// but whose answer was lost is harmless to repeat.
    func untilStored<T: Sendable>(_ what: String, logger: Logger, _ write: @Sendable () async throws -> T) async -> T? {
        var backoff = ExponentialBackoff(initial: .milliseconds(100), maximum: .seconds(5))
        var attempt = 0
        var giveUpAt: ContinuousClock.Instant?
        while true {
            attempt += 1
            do {
                let stored = try await write()
                if attempt > 1 {
                    logger.notice("recorded \(what) once the database took it", metadata: ["db.attempts": "\(attempt)"])
                }
                return stored
            } catch {
                if attempt == 1 {
                    logger.error("cannot record \(what); retrying until the database takes it", metadata: ["error": "\(error)"])
                } else if attempt.isMultiple(of: 10) {
                    logger.warning("still cannot record \(what)", metadata: ["db.attempts": "\(attempt)", "error": "\(error)"])
                }
            }
            if stopping.withLock({ $0 }) {
                let deadline = giveUpAt ?? (.now + Self.retryWindowAtShutdown)
                giveUpAt = deadline
                guard ContinuousClock.now < deadline else {
                    logger.error("gave up recording \(what) at shutdown; the next supervisor on this database marks the run interrupted", metadata: [
                        "db.attempts": "\(attempt)",
                    ])
                    return nil
                }
            }
            try? await Task.sleep(for: backoff.next())
        }
    }
}
