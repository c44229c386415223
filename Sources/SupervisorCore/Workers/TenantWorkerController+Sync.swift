import Foundation
import IPC
import Support

/// Syncs: requests queue in ``TenantSyncQueue``; each attempt is handed to the worker here.
extension TenantWorkerController {
    /// Runs one sync on this tenant's worker and reports how it ended; never throws. See
    /// ``TenantSyncQueue/sync(_:on:cancelReason:onStart:onProgress:)`` for joins, waits and retries.
    func sync(
        _ command: SyncCommand, cancelReason: @escaping @Sendable () -> String? = { nil }, onStart: @Sendable () -> Void = {},
        onProgress: @escaping @Sendable (SyncProgress) -> Void
    ) async -> TenantSyncReport {
        await syncQueue.sync(command, on: self, cancelReason: cancelReason, onStart: onStart, onProgress: onProgress)
    }

    /// Hands one attempt of a sync to the worker once it is ready, and waits for its end. The
    /// attempt is counted in `attempts` when (and only when) the worker gets the sync, and its
    /// progress is recorded there as it comes.
    func runSync(
        _ command: SyncCommand, readyTimeout: Duration, attempts: LockedValue<SyncAttempts>,
        cancelReason: @Sendable () -> String?, onProgress: @escaping @Sendable (SyncProgress) -> Void
    ) async -> SyncOutcome {
        let deadline = ContinuousClock.now + readyTimeout
        // A worker that sent `fatal` is about to exit: wait for its successor (or for `errored`).
        while lifecycle.state != .ready || session?.fatal != nil {
            if lifecycle.state == .errored || shuttingDown || (supervising && lifecycle.state == .stopped) {
                return .failed("worker is \(lifecycle.state.rawValue)\(lifecycle.lastError.map { ": \($0)" } ?? "")")
            }
            if ContinuousClock.now >= deadline {
                return .failed("worker did not become ready within \(readyTimeout.formatted()) (state \(lifecycle.state.rawValue))")
            }
            await changes.wait(until: deadline)
        }
        guard process != nil else { return .failed("worker is gone") }
        return await withCheckedContinuation { continuation in
            tracker.startSync(command, for: continuation, attempts: attempts, cancelReason: cancelReason, onProgress: onProgress)
        }
    }
}
