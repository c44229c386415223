import IPC
@testable import SupervisorCore
import Testing

/// The sync hand-off without processes: joins, waits, refusals, retries and the end of a sync.
@Suite("SyncHandOff: one sync per tenant, joined, waited for, retried")
struct SyncHandOffTests {
    static let incremental = SyncCommand(runID: "run-a")
    static let full = SyncCommand(runID: "run-b", full: true)

    @Test("a free tenant starts the request; the same options join, other options wait")
    func joinOrWait() {
        var handOff = SyncHandOff()
        let started = handOff.request(Self.incremental, shuttingDown: false, cancelReason: nil)
        #expect(started == .start)
        #expect(handOff.active == Self.incremental)
        var same = Self.incremental
        same.runID = "run-c"
        let joined = handOff.request(same, shuttingDown: false, cancelReason: nil)
        #expect(joined == .join(activeRunID: "run-a"))
        let waits = handOff.request(Self.full, shuttingDown: false, cancelReason: nil)
        #expect(waits == .wait(activeRunID: "run-a"))
        #expect(handOff.active == Self.incremental)
    }

    @Test("a waiting request is refused when the supervisor stops or its run is cancelled")
    func refusals() {
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, shuttingDown: false, cancelReason: nil)
        let stopping = handOff.request(Self.full, shuttingDown: true, cancelReason: nil)
        #expect(stopping == .refuse(.failed, error: "supervisor shutting down"))
        let cancelled = handOff.request(Self.full, shuttingDown: false, cancelReason: "by request")
        #expect(cancelled == .refuse(.cancelled, error: "run cancelled: by request"))
    }

    @Test("the tenant is busy until the sync ends, then the next request starts")
    func endFreesTheTenant() {
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, shuttingDown: false, cancelReason: nil)
        let whileActive = handOff.request(Self.full, shuttingDown: false, cancelReason: nil)
        #expect(whileActive == .wait(activeRunID: "run-a"))
        handOff.end()
        #expect(handOff.active == nil)
        let afterEnd = handOff.request(Self.full, shuttingDown: false, cancelReason: nil)
        #expect(afterEnd == .start)
        #expect(handOff.active == Self.full)
    }

    @Test("a crashed worker's sync is retried as often as allowed, then given up; the next sync counts afresh")
    func retries() {
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, shuttingDown: false, cancelReason: nil)
        let outcomes = (1...3).map { _ in handOff.workerCrashed(allowedRetries: 2, shuttingDown: false) }
        #expect(outcomes == [.retry(1), .retry(2), .giveUp(retries: 2)])
        handOff.end()
        _ = handOff.request(Self.full, shuttingDown: false, cancelReason: nil)
        let fresh = handOff.workerCrashed(allowedRetries: 2, shuttingDown: false)
        #expect(fresh == .retry(1))
    }

    @Test("no retry while the supervisor shuts down, nor without a sync")
    func noRetry() {
        var idle = SyncHandOff()
        let withoutSync = idle.workerCrashed(allowedRetries: 3, shuttingDown: false)
        #expect(withoutSync == .giveUp(retries: 0))
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, shuttingDown: false, cancelReason: nil)
        let shuttingDown = handOff.workerCrashed(allowedRetries: 3, shuttingDown: true)
        #expect(shuttingDown == .giveUp(retries: 0))
    }
}
