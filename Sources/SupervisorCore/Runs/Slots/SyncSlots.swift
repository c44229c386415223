import Support

/// The supervisor's `concurrency` sync slots, shared by every run: a tenant syncs only while it
/// holds one. Who gets a freed slot is ``SyncSlotQueue``'s rule (round-robin across runs, at most
/// `max_per_host` per upstream host); this class keeps the waiters and wakes them.
final class SyncSlots: Sendable {
    private struct State {
        var queue: SyncSlotQueue
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state: LockedValue<State>

    init(capacity: Int, maxPerHost: Int? = nil) {
        state = LockedValue(State(queue: SyncSlotQueue(capacity: capacity, maxPerHost: maxPerHost)))
    }

    /// Runs `body` while holding a slot for `tenantID` of `runID`, whose sync calls `host`.
    func withSlot<T: Sendable>(runID: String, tenantID: String, host: String?, _ body: () async -> T) async -> T {
        let ticket = await acquire(runID: runID, tenantID: tenantID, host: host)
        let result = await body()
        release(ticket)
        return result
    }

    /// Why `tenantID` waits for a slot, or `nil` when it does not.
    func waitReason(of tenantID: String) -> SyncWaitReason? {
        state.withLock { $0.queue.waitReason(of: tenantID) }
    }

    private func acquire(runID: String, tenantID: String, host: String?) async -> SyncSlotQueue.Ticket {
        let ticket = state.withLock { state in
            state.nextID += 1
            return SyncSlotQueue.Ticket(id: state.nextID, runID: runID, tenantID: tenantID, host: host)
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state in
                if state.queue.request(ticket) { return true }
                state.waiters[ticket.id] = continuation
                return false
            }
            if granted { continuation.resume() }
        }
        return ticket
    }

    private func release(_ ticket: SyncSlotQueue.Ticket) {
        let woken = state.withLock { state in
            state.queue.release(ticket).compactMap { state.waiters.removeValue(forKey: $0.id) }
        }
        for waiter in woken { waiter.resume() }
    }
}
