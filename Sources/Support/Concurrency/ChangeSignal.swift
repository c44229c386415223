import Synchronization

/// Wakes every task waiting for "something changed": a state machine's owner calls ``wakeAll()``
/// after each change, and waiters look again at what they wait for (a wake-up may find nothing new).
///
/// A waiter registers before it suspends, on its caller's actor (`isolation`), so nothing the actor
/// does between the caller's check and the suspension can signal a change the waiter misses.
public final class ChangeSignal: Sendable {
    private struct Waiter {
        let continuation: CheckedContinuation<Void, Never>
        /// Ends the wait at its deadline; cancelled when a change comes first.
        var timer: Task<Void, Never>?
    }

    private struct State {
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Suspends until the next ``wakeAll()``.
    public func wait(isolation: isolated (any Actor)? = #isolation) async {
        await withCheckedContinuation(isolation: isolation) { continuation in
            state.withLock { state in
                state.nextID += 1
                state.waiters[state.nextID] = Waiter(continuation: continuation)
            }
        }
    }

    /// Suspends until the next ``wakeAll()`` or `deadline`, whichever comes first.
    public func wait(until deadline: ContinuousClock.Instant, isolation: isolated (any Actor)? = #isolation) async {
        await withCheckedContinuation(isolation: isolation) { continuation in
            let id = state.withLock { state in
                state.nextID += 1
                state.waiters[state.nextID] = Waiter(continuation: continuation)
                return state.nextID
            }
            let timer = Task {
                try? await Task.sleep(until: deadline)
                self.resume(id)
            }
            // The wait may have ended already (a change came before the timer was stored): stop it then.
            let stored = state.withLock { state -> Bool in
                guard state.waiters[id] != nil else { return false }
                state.waiters[id]?.timer = timer
                return true
            }
            if !stored { timer.cancel() }
        }
    }

    /// Resumes every waiter.
    public func wakeAll() {
        let woken = state.withLock { state in
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in woken {
            waiter.timer?.cancel()
            waiter.continuation.resume()
        }
    }

    private func resume(_ id: UInt64) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
    }
}
