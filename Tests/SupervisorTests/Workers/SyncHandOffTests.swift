import IPC
@testable import SupervisorCore
import Testing

/// The sync hand-off without processes: waits, joins, refusals, retries and the end of a sync.
@Suite("SyncHandOff: one sync per tenant, waited for, shared by those who waited, retried")
struct SyncHandOffTests {
    static let incremental = SyncCommand(runID: "run-a")
    static let full = SyncCommand(runID: "run-b", full: true)

    @Test("a free tenant starts the request; a request arriving during a sync waits, whatever its options")
    func arrivingDuringASyncWaits() {
        var handOff = SyncHandOff()
        let started = handOff.request(Self.incremental, arrival: handOff.arrival, shuttingDown: false, cancelReason: nil)
        #expect(started == .start)
        #expect(handOff.active == Self.incremental)
        // The sync in hand may have fetched past the change this request is about: not joined.
        var same = Self.incremental
        same.runID = "run-c"
        let sameWaits = handOff.request(same, arrival: handOff.arrival, shuttingDown: false, cancelReason: nil)
        #expect(sameWaits == .wait(activeRunID: "run-a", sameOptions: true))
        let otherWaits = handOff.request(Self.full, arrival: handOff.arrival, shuttingDown: false, cancelReason: nil)
        #expect(otherWaits == .wait(activeRunID: "run-a", sameOptions: false))
        #expect(handOff.active == Self.incremental)
    }

    @Test("requests that waited together with the same options share the next sync; a later one waits for the one after")
    func waitersShareTheNextSync() {
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, arrival: handOff.arrival, shuttingDown: false, cancelReason: nil)
        var first = Self.incremental
        first.runID = "run-c"
        var second = Self.incremental
        second.runID = "run-d"
        let (firstArrival, secondArrival) = (handOff.arrival, handOff.arrival)
        #expect(handOff.request(first, arrival: firstArrival, shuttingDown: false, cancelReason: nil) == .wait(activeRunID: "run-a", sameOptions: true))
        #expect(handOff.request(second, arrival: secondArrival, shuttingDown: false, cancelReason: nil) == .wait(activeRunID: "run-a", sameOptions: true))
        handOff.end()
        // Woken, both ask again: the first starts the next sync, the second joins it.
        #expect(handOff.request(first, arrival: firstArrival, shuttingDown: false, cancelReason: nil) == .start)
        #expect(handOff.request(second, arrival: secondArrival, shuttingDown: false, cancelReason: nil) == .join(activeRunID: "run-c"))
        var late = Self.incremental
        late.runID = "run-e"
        let lateDecision = handOff.request(late, arrival: handOff.arrival, shuttingDown: false, cancelReason: nil)
        #expect(lateDecision == .wait(activeRunID: "run-c", sameOptions: true))
    }

    @Test("a waiting request is refused when the supervisor stops or its run is cancelled")
    func refusals() {
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, arrival: handOff.arrival, shuttingDown: false, cancelReason: nil)
        let stopping = handOff.request(Self.full, arrival: handOff.arrival, shuttingDown: true, cancelReason: nil)
        #expect(stopping == .refuse(.failed, error: "supervisor shutting down"))
        let cancelled = handOff.request(Self.full, arrival: handOff.arrival, shuttingDown: false, cancelReason: "by request")
        #expect(cancelled == .refuse(.cancelled, error: "run cancelled: by request"))
    }

    @Test("the tenant is busy until the sync ends, then the next request starts")
    func endFreesTheTenant() {
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, arrival: handOff.arrival, shuttingDown: false, cancelReason: nil)
        let whileActive = handOff.request(Self.full, arrival: handOff.arrival, shuttingDown: false, cancelReason: nil)
        #expect(whileActive == .wait(activeRunID: "run-a", sameOptions: false))
        handOff.end()
        #expect(handOff.active == nil)
        let afterEnd = handOff.request(Self.full, arrival: handOff.arrival, shuttingDown: false, cancelReason: nil)
        #expect(afterEnd == .start)
        #expect(handOff.active == Self.full)
    }

    @Test("a crashed worker's sync is retried as often as allowed, then given up; the next sync counts afresh")
    func retries() {
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, arrival: handOff.arrival, shuttingDown: false, cancelReason: nil)
        let outcomes = (1...3).map { _ in handOff.workerCrashed(allowedRetries: 2, shuttingDown: false) }
        #expect(outcomes == [.retry(1), .retry(2), .giveUp(retries: 2)])
        handOff.end()
        _ = handOff.request(Self.full, arrival: handOff.arrival, shuttingDown: false, cancelReason: nil)
        let fresh = handOff.workerCrashed(allowedRetries: 2, shuttingDown: false)
        #expect(fresh == .retry(1))
    }

    @Test("no retry while the supervisor shuts down, nor without a sync")
    func noRetry() {
        var idle = SyncHandOff()
        let withoutSync = idle.workerCrashed(allowedRetries: 3, shuttingDown: false)
        #expect(withoutSync == .giveUp(retries: 0))
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, arrival: handOff.arrival, shuttingDown: false, cancelReason: nil)
        let shuttingDown = handOff.workerCrashed(allowedRetries: 3, shuttingDown: true)
        #expect(shuttingDown == .giveUp(retries: 0))
    }
}
