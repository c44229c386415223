import Synchronization

/// A queue that threads push into and tests await from, with a deadline on every wait.
public final class AsyncInbox<Element: Sendable>: Sendable {
    private struct State {
        var buffer: [Element] = []
        var finished = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Element??, Never>)?
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Adds an element, waking a waiter if there is one.
    public func push(_ element: Element) {
        let waiter = state.withLock { state -> CheckedContinuation<Element??, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            state.buffer.append(element)
            return nil
        }
        waiter?.resume(returning: .some(element))
    }

    /// Marks the end: waiters get `nil` once the buffer is empty.
    public func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Element??, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume(returning: .some(nil))
    }

    /// The next element, `nil` at the end; throws if nothing arrives within `timeout`.
    public func next(timeout: Duration) async throws -> Element? {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let outcome: Element?? = await withTaskGroup(of: Element??.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let immediate: Element?? = self.state.withLock { state in
                        if !state.buffer.isEmpty { return .some(state.buffer.removeFirst()) }
                        if state.finished { return .some(nil) }
                        state.waiter = (id, continuation)
                        return nil
                    }
                    if let immediate { continuation.resume(returning: immediate) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.expire(id)
                return nil
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
        guard let outcome else { throw TestSupportError("nothing arrived within \(timeout)") }
        return outcome
    }

    private func expire(_ id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Element??, Never>? in
            guard let waiter = state.waiter, waiter.id == id else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: nil)
    }
}
