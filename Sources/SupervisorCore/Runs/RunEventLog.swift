import Foundation
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
        var nextSubscriber = 0
    }

    private struct State {
        var logs: [String: Log] = [:]
        var finishedOrder: [String] = []
    }

    private let state = Mutex(State())

    func start(_ runID: String) {
        state.withLock { state in
            if state.logs[runID] == nil { state.logs[runID] = Log() }
        }
    }

    /// Appends an event with the next id; `final` ends the run's log and every live subscription.
    func append(_ runID: String, name: String, data: some Encodable, final: Bool = false) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let (subscribers, event) = state.withLock { state -> ([AsyncStream<RunEvent>.Continuation], RunEvent?) in
            guard var log = state.logs[runID], !log.finished else { return ([], nil) }
            if name == "progress" && log.events.count >= Self.maximumEventsPerRun {
                return ([], nil)
            }
            let event = RunEvent(id: log.nextID, name: name, data: json)
            log.nextID += 1
            log.events.append(event)
            let subscribers = Array(log.subscribers.values)
            if final {
                log.finished = true
                log.subscribers = [:]
                state.finishedOrder.append(runID)
                if state.finishedOrder.count > Self.maximumFinishedRuns {
                    state.logs.removeValue(forKey: state.finishedOrder.removeFirst())
                }
            }
            state.logs[runID] = log
            return (subscribers, event)
        }
        guard let event else { return }
        for subscriber in subscribers {
            subscriber.yield(event)
            if final { subscriber.finish() }
        }
    }

    /// The events after `lastEventID` and, while the run goes on, the live ones; `nil` if the run is not in memory.
    func subscribe(_ runID: String, after lastEventID: Int) -> Subscription? {
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .bufferingNewest(Self.maximumEventsPerRun))
        let result = state.withLock { state -> (Subscription, Int?)? in
            guard var log = state.logs[runID] else { return nil }
            let history = log.events.filter { $0.id > lastEventID }
            if log.finished { return (Subscription(history: history, live: nil), nil) }
            let key = log.nextSubscriber
            log.nextSubscriber += 1
            log.subscribers[key] = continuation
            state.logs[runID] = log
            return (Subscription(history: history, live: stream), key)
        }
        guard let (subscription, key) = result else { return nil }
        if let key {
            continuation.onTermination = { [weak self] _ in self?.unsubscribe(runID, key) }
        } else {
            continuation.finish()
        }
        return subscription
    }

    /// Whether the run is in memory and has not ended.
    func isLive(_ runID: String) -> Bool {
        state.withLock { $0.logs[runID].map { !$0.finished } ?? false }
    }

    private func unsubscribe(_ runID: String, _ key: Int) {
        _ = state.withLock { state in state.logs[runID]?.subscribers.removeValue(forKey: key) }
    }
}
