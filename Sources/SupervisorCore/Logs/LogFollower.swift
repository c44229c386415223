import Foundation
import Synchronization

/// What a follow request selects: a tenant (or all), a minimum level, a substring, a start time.
public struct LogFilter: Sendable {
    public var tenant: String?
    public var minimumLevel: String?
    public var grep: String?
    public var since: Date?
    /// Only lines with a greater sequence number: what a poller has not seen yet.
    public var after: UInt64?

    public init(tenant: String? = nil, minimumLevel: String? = nil, grep: String? = nil, since: Date? = nil, after: UInt64? = nil) {
        self.after = after
        self.tenant = tenant
        self.minimumLevel = minimumLevel
        self.grep = grep
        self.since = since
    }

    func matches(_ entry: TenantLogEntry) -> Bool {
        if let tenant, entry.tenant != tenant { return false }
        if let minimumLevel, LogLevels.rank(entry.level) < LogLevels.rank(minimumLevel) { return false }
        if let since, entry.timestamp < since { return false }
        if let after, entry.sequence <= after { return false }
        if let grep, !grep.isEmpty, entry.message.range(of: grep, options: .caseInsensitive) == nil {
            return false
        }
        return true
    }
}

/// A live subscription to new log lines, with a bounded buffer.
///
/// The store offers lines without ever waiting; when the buffer is full the line is counted
/// instead, and the reader gets one ``Event/dropped(_:)`` notice in its place once it catches up.
public final class LogFollower: Sendable {
    public enum Event: Sendable, Equatable {
        case entry(TenantLogEntry)
        /// This many lines were skipped here because the reader fell behind.
        case dropped(Int)
    }

    /// The result of waiting for the next event.
    public enum Next: Sendable, Equatable {
        case event(Event)
        /// Nothing arrived within the timeout.
        case idle
        /// The store closed: no more events.
        case finished
    }

    private struct State {
        var buffer: [Event] = []
        var head = 0
        var pendingDropped = 0
        var finished = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Next, Never>)?
        var nextWaiterID: UInt64 = 0
        var count: Int { buffer.count - head }
    }

    let filter: LogFilter
    private let capacity: Int
    private let state = Mutex(State())

    init(filter: LogFilter, capacity: Int) {
        self.filter = filter
        self.capacity = capacity
    }

    /// Queues `entry` if there is room; returns `false` when it was dropped. Never blocks.
    func offer(_ entry: TenantLogEntry) -> Bool {
        let (accepted, waiter) = state.withLock { state -> (Bool, (CheckedContinuation<Next, Never>, Next)?) in
            guard !state.finished else { return (true, nil) }
            if state.count >= capacity {
                state.pendingDropped += 1
                return (false, nil)
            }
            if state.pendingDropped > 0 {
                state.buffer.append(.dropped(state.pendingDropped))
                state.pendingDropped = 0
            }
            state.buffer.append(.entry(entry))
            return (true, Self.takeFirst(&state))
        }
        if let (continuation, next) = waiter { continuation.resume(returning: next) }
        return accepted
    }

    /// Ends the subscription; a waiting reader wakes up with ``Next/finished``.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Next, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.count == 0 ? state.waiter?.continuation : nil
        }
        waiter?.resume(returning: .finished)
    }

    /// The next event, ``Next/idle`` after `timeout` without one, or ``Next/finished``.
    public func next(timeout: Duration) async -> Next {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Next, Never>) in
                let immediate = state.withLock { state -> Next? in
                    if let ready = Self.pop(&state) { return ready }
                    if state.finished || Task.isCancelled { return .finished }
                    state.waiter = (id, continuation)
                    return nil
                }
                if let immediate {
                    continuation.resume(returning: immediate)
                    return
                }
                let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [weak self] in
                    self?.wake(id, with: .idle)
                }
            }
        } onCancel: {
            wake(id, with: .finished)
        }
    }

    private func wake(_ id: UInt64, with result: Next) {
        let waiter = state.withLock { state -> CheckedContinuation<Next, Never>? in
            guard let waiter = state.waiter, waiter.id == id else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume(returning: result)
    }

    /// Hands the first buffered event to a waiting reader, if both exist.
    private static func takeFirst(_ state: inout State) -> (CheckedContinuation<Next, Never>, Next)? {
        guard let waiter = state.waiter, let event = pop(&state) else { return nil }
        state.waiter = nil
        return (waiter.continuation, event)
    }

    private static func pop(_ state: inout State) -> Next? {
        guard state.count > 0 else {
            if state.pendingDropped > 0 {
                defer { state.pendingDropped = 0 }
                return .event(.dropped(state.pendingDropped))
            }
            return nil
        }
        let event = state.buffer[state.head]
        state.head += 1
        if state.head > 1024, state.head * 2 > state.buffer.count {
            state.buffer.removeFirst(state.head)
            state.head = 0
        }
        return .event(event)
    }
}
