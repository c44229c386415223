import Dispatch
import Foundation
import Synchronization
import Testing
@testable import SupervisorCore

@Suite("RunEventLog: ids and delivery order, subscriptions")
struct RunEventLogTests {
    /// Appends `perThread` progress events from each of `threads` threads at once, then `completed`.
    static func appendConcurrently(_ log: RunEventLog, runID: String, threads: Int, perThread: Int) {
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in 0..<perThread {
                log.append(runID, name: "progress", data: ["thread": thread, "index": index])
            }
        }
        log.append(runID, name: "completed", data: ["status": "succeeded"], final: true)
    }

    @Test("a live subscriber gets every event in id order while many tenants append at once")
    func liveOrderUnderConcurrentAppends() async throws {
        // Several rounds: one interleaving that delivers out of order is enough to fail.
        for round in 0..<20 {
            let log = RunEventLog()
            let runID = "run_order_\(round)"
            log.start(runID)
            let subscription = try #require(log.subscribe(runID, after: 0))
            let live = try #require(subscription.live)
            let threads = 4, perThread = 200
            let appender = Thread { Self.appendConcurrently(log, runID: runID, threads: threads, perThread: perThread) }
            appender.start()
            var ids: [Int] = subscription.history.map(\.id)
            for await event in live { ids.append(event.id) }
            #expect(ids.count == threads * perThread + 1)
            let misplaced = ids.enumerated().first { $0.element != $0.offset + 1 }
            #expect(misplaced == nil, "round \(round): event \(misplaced?.element ?? 0) delivered in place \((misplaced?.offset ?? 0) + 1)")
            if misplaced != nil { return }
        }
    }

    @Test("a subscriber that connects mid-run gets the history then the live events, without a gap or a repeat")
    func historyThenLive() async throws {
        let log = RunEventLog()
        log.start("run_mid")
        for index in 0..<10 { log.append("run_mid", name: "progress", data: ["index": index]) }
        let subscription = try #require(log.subscribe("run_mid", after: 4))
        #expect(subscription.history.map(\.id) == Array(5...10))
        log.append("run_mid", name: "progress", data: ["index": 10])
        log.append("run_mid", name: "completed", data: ["status": "succeeded"], final: true)
        var live: [Int] = []
        for await event in try #require(subscription.live) { live.append(event.id) }
        #expect(live == [11, 12])
        // After the end: the whole history and no live stream.
        let late = try #require(log.subscribe("run_mid", after: 0))
        #expect(late.history.map(\.id) == Array(1...12))
        #expect(late.live == nil)
    }

    @Test("a subscriber that goes away is forgotten, and later events still reach the others")
    func unsubscribe() async throws {
        let log = RunEventLog()
        log.start("run_gone")
        var leaving = try #require(log.subscribe("run_gone", after: 0))
        let staying = try #require(log.subscribe("run_gone", after: 0))
        #expect(log.subscriberCount("run_gone") == 2)
        leaving.live = nil
        leaving = RunEventLog.Subscription(history: [], live: nil)
        #expect(log.subscriberCount("run_gone") == 1)
        log.append("run_gone", name: "completed", data: ["status": "succeeded"], final: true)
        var ids: [Int] = []
        for await event in try #require(staying.live) { ids.append(event.id) }
        #expect(ids == [1])
    }
}
