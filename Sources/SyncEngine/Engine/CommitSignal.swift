import Dispatch
import Synchronization

/// Tells the batch after this one that this one is over: committed (and reported), or failed.
///
/// Set once, by the writer's lane that ran the batch; waited on by the lane running the next batch.
final class CommitSignal: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let outcome = Mutex<Bool?>(nil)

    init() {}

    /// Records how the batch ended and wakes every waiter; call once.
    func finish(committed: Bool) {
        outcome.withLock { $0 = committed }
        done.signal()
    }

    /// Waits until the batch has ended or `deadline` passes; returns whether it committed, or `nil` on timeout.
    func wait(until deadline: DispatchTime = .distantFuture) -> Bool? {
        guard done.wait(timeout: deadline) == .success else { return nil }
        // Pass the wake-up on: several callers may wait for the same batch.
        done.signal()
        return outcome.withLock { $0 }
    }
}
