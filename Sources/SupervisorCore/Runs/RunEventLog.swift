import Foundation
import Support
import Synchronization

/// The events of recent runs, in memory, for `GET /api/runs/{id}/events`.
///
/// Each run keeps at most ``maximumEventsPerRun`` events: beyond that, `progress` events are
/// dropped while `tenant_completed`, `error` and `completed` are always kept, so a late client still
/// gets every outcome and the final event. Finished runs are forgotten oldest first beyond
/// ``maximumFinishedRuns``; their events are then rebuilt from the database.
final class RunEventLog: Sendable {
    static let maximumEventsPerRun = 5_000
    static let maximumFinishedRuns = 100

    /// Events a client has missed, and the live events that follow (`nil` once the run has ended).
    struct Subscription: Sendable {
        var history: [RunEvent]
        var live: AsyncStream<RunEvent>?
    }

    private struct Log {
        var events: [RunEvent] = []
        var nextID = 1
        var finished = false
        var subscribers: [Int: AsyncStream<RunEvent>.Continuation] = [:]

        /// Numbers and keeps an event, hands it to the live subscribers and, when `final`, ends the log;
        /// returns the subscribers to finish when this call ended it, else nil. Called in place in the
        /// dictionary: a copy of the log taken out and written back would copy its events on every append
        /// (`perf`, P13's sync-all of 1,000 tenants: every append copied the thousands of events before it).
        mutating func append(name: String, json: String, final: Bool) -> [AsyncStream<RunEvent>.Continuation]? {
            guard !finished, name != "progress" || events.count < RunEventLog.maximumEventsPerRun else { return nil }
            let event = RunEvent(id: nextID, name: name, data: json)
            nextID += 1
            events.append(event)
            for subscriber in subscribers.values { subscriber.yield(event) }
            guard final else { return nil }
            let ended = Array(subscribers.values)
            finished = true
            subscribers = [:]
            return ended
        }
    }

    private struct State {
        var logs: [String: Log] = [:]
        var finishedOrder: [String] = []
    }

    private let state = LockedValue(State())
    private let nextSubscriber = Atomic<Int>(0)

    func start(_ runID: String) {
        state.withLock { state in
            if state.logs[runID] == nil { state.logs[runID] = Log() }
        }
    }

    /// Appends an event with the next id; `final` ends the run's log and every live subscription.
    ///
    /// Events are handed to live subscribers inside the same critical section that numbers them, so
    /// every subscriber receives them in id order whichever threads append at once. (`yield` only
    /// buffers the event; `finish`, which runs termination handlers that take this lock, is called
    /// after it is released.)
    func append(_ runID: String, name: String, data: some Encodable, final: Bool = false) {
        let json = (try? APIJSON.encoder.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let ended = state.withLock { state -> [AsyncStream<RunEvent>.Continuation] in
            guard let index = state.logs.index(forKey: runID),
                  let subscribers = state.logs.values[index].append(name: name, json: json, final: final) else { return [] }
            state.finishedOrder.append(runID)
            if state.finishedOrder.count > Self.maximumFinishedRuns {
                state.logs.removeValue(forKey: state.finishedOrder.removeFirst())
            }
            return subscribers
        }
        for subscriber in ended { subscriber.finish() }
    }

    /// The events after `lastEventID` and, while the run goes on, the live ones; `nil` if the run is not in memory.
    ///
    /// The history and the registration for live events are taken in one critical section, so no
    /// event falls between them; the termination handler is in place before the subscriber is
    /// registered, so a client that leaves at once is always forgotten.
    func subscribe(_ runID: String, after lastEventID: Int) -> Subscription? {
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .bufferingNewest(Self.maximumEventsPerRun))
        let key = nextSubscriber.add(1, ordering: .relaxed).newValue
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(runID, key) }
        let subscription = state.withLock { state -> Subscription? in
            guard var log = state.logs[runID] else { return nil }
            let history = log.events.filter { $0.id > lastEventID }
            if log.finished { return Subscription(history: history, live: nil) }
            log.subscribers[key] = continuation
            state.logs[runID] = log
            return Subscription(history: history, live: stream)
        }
        if subscription?.live == nil { continuation.finish() }
        return subscription
    }

    /// How many live subscriptions the run has.
    func subscriberCount(_ runID: String) -> Int {
        state.withLock { $0.logs[runID]?.subscribers.count ?? 0 }
    }

    private func unsubscribe(_ runID: String, _ key: Int) {
        _ = state.withLock { state in state.logs[runID]?.subscribers.removeValue(forKey: key) }
    }
}
