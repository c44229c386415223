import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The supervisor's side of systemd's `Type=notify`: `READY=1` once migrations are applied and the API
/// listens, `WATCHDOG=1` every half `WATCHDOG_USEC` while it runs, `STOPPING=1` when shutdown begins.
///
/// Without `NOTIFY_SOCKET` it does nothing. It runs last in the service group, so it is the first to
/// hear of a graceful shutdown and says `STOPPING=1` before the workers are stopped. The watchdog pings
/// come from a task on the same executor as everything else: a supervisor whose tasks no longer run
/// stops pinging, and systemd restarts it after `WatchdogSec`.
public final class SystemdNotifyService: Service, Sendable {
    let notifier: SystemdNotifier?
    /// Half of `WATCHDOG_USEC`, when the watchdog is on and meant for this process (`WATCHDOG_PID`).
    let watchdogInterval: Duration?
    let logger: Logger

    public init(environment: [String: String], logger: Logger) {
        self.logger = logger
        var notifier: SystemdNotifier?
        do {
            notifier = try SystemdNotifier(environment: environment)
        } catch {
            logger.warning("NOTIFY_SOCKET ignored", metadata: ["error": "\(error)"])
        }
        self.notifier = notifier
        watchdogInterval = notifier == nil ? nil : Self.watchdogInterval(environment: environment, pid: getpid())
    }

    /// Half of `WATCHDOG_USEC` as `sd_watchdog_enabled(3)` reads it: `nil` when unset, not a positive
    /// number, or when `WATCHDOG_PID` names another process.
    static func watchdogInterval(environment: [String: String], pid: Int32) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], !owner.isEmpty, Int32(owner) != pid { return nil }
        return .microseconds(Int64(clamping: microseconds / 2))
    }

    /// Tells systemd the supervisor is ready; call once the API listens.
    public func ready(status: String) async {
        await deliver(["READY=1", "STATUS=\(status)"])
    }

    public func run() async throws {
        guard notifier != nil else {
            try? await gracefulShutdown()
            return
        }
        if let watchdogInterval {
            logger.debug("systemd watchdog on", metadata: ["systemd.watchdog_interval": "\(watchdogInterval)"])
            // Ends with a CancellationError at graceful shutdown (or cancellation): then say we stop.
            try? await cancelWhenGracefulShutdown {
                while true {
                    try await Task.sleep(for: watchdogInterval)
                    // A ping that finds the queue full is dropped: the next one follows.
                    await self.deliver(["WATCHDOG=1"], patience: .zero)
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        await deliver(["STOPPING=1", "STATUS=stopping workers"])
    }

    /// Sends `fields`, trying again for up to `patience` while the service manager's queue is full
    /// (`EAGAIN`): `READY=1` and `STOPPING=1` must not be lost, and the sends never block a thread.
    func deliver(_ fields: [String], patience: Duration = .seconds(5)) async {
        guard let notifier else { return }
        let deadline = ContinuousClock.now + patience
        while true {
            do {
                try notifier.notify(fields)
                return
            } catch where error.code == .sendFailed && error.errno == EAGAIN && ContinuousClock.now < deadline {
                do {
                    try await Task.sleep(for: .milliseconds(20))
                } catch {
                    return
                }
            } catch {
                logger.warning("systemd notification not sent", metadata: ["systemd.message": "\(fields[0])", "error": "\(error)"])
                return
            }
        }
    }
}
