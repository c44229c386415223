import IPC
@testable import SupervisorCore
import Testing

/// The sync hand-off without processes: joins, waits, refusals, results and retries.
@Suite("SyncHandOff: one sync per tenant, joined, waited for, retried")
struct SyncHandOffTests {
    static let incremental = SyncCommand(runID: "run-a")
    static let full = SyncCommand(runID: "run-b", full: true)

    @Test("a free tenant starts the request; the same options join, other options wait")
    func joinOrWait() {
        var handOff = SyncHandOff()
        let answer1 = handOff.request(Self.incremental, shuttingDown: false, cancelReason: nil)
        #expect(answer1 == .start)
        #expect(handOff.active == Self.incremental)
        var same = Self.incremental
        same.runID = "run-c"
        let answer2 = handOff.request(same, shuttingDown: false, cancelReason: nil)
        #expect(answer2 == .join(activeRunID: "run-a"))
        let answer3 = handOff.request(Self.full, shuttingDown: false, cancelReason: nil)
        #expect(answer3 == .wait(activeRunID: "run-a"))
        #expect(handOff.active == Self.incremental)
    }

    @Test("a waiting request is refused when the supervisor stops or its run is cancelled")
    func refusals() {
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, shuttingDown: false, cancelReason: nil)
        let answer4 = handOff.request(Self.full, shuttingDown: true, cancelReason: nil)
        #expect(answer4 == .refuse(.failed, error: "supervisor shutting down"))
        let answer5 = handOff.request(Self.full, shuttingDown: false, cancelReason: "by request")
        #expect(answer5 == .refuse(.cancelled, error: "run cancelled: by request"))
    }

    @Test("only the result of the run the worker has ends the sync")
    func results() {
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, shuttingDown: false, cancelReason: nil)
        let answer6 = handOff.resultArrived(runID: "run-a")
        #expect(!answer6, "the worker has not been given the sync yet")
        let answer7 = handOff.handedOver()
        #expect(answer7)
        let answer8 = handOff.handedOver()
        #expect(!answer8, "a sync is handed over once")
        #expect(handOff.runInWorker == "run-a")
        let answer9 = handOff.resultArrived(runID: "run-x")
        #expect(!answer9)
        let answer10 = handOff.resultArrived(runID: "run-a")
        #expect(answer10)
        #expect(handOff.runInWorker == nil)
        let answer11 = handOff.request(Self.full, shuttingDown: false, cancelReason: nil)
        #expect(answer11 == .wait(activeRunID: "run-a"), "still ending")
        handOff.end()
        let answer12 = handOff.request(Self.full, shuttingDown: false, cancelReason: nil)
        #expect(answer12 == .start)
    }

    @Test("a crashed worker's sync is retried as often as allowed, then given up")
    func retries() {
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, shuttingDown: false, cancelReason: nil)
        _ = handOff.handedOver()
        let answer13 = handOff.workerCrashed(allowedRetries: 2, shuttingDown: false)
        #expect(answer13 == .retry(1))
        #expect(handOff.runInWorker == nil)
        _ = handOff.handedOver()
        let answer14 = handOff.workerCrashed(allowedRetries: 2, shuttingDown: false)
        #expect(answer14 == .retry(2))
        _ = handOff.handedOver()
        let answer15 = handOff.workerCrashed(allowedRetries: 2, shuttingDown: false)
        #expect(answer15 == .giveUp(retries: 2))
        #expect(handOff.state == .ending(Self.incremental))
    }

    @Test("no retry while the supervisor shuts down; a failed hand-over leaves the sync waiting for a worker")
    func shutdownAndFailedHandOver() {
        var handOff = SyncHandOff()
        _ = handOff.request(Self.incremental, shuttingDown: false, cancelReason: nil)
        _ = handOff.handedOver()
        handOff.handOverFailed()
        #expect(handOff.state == .waitingForWorker(Self.incremental, retries: 0))
        _ = handOff.handedOver()
        let answer16 = handOff.workerCrashed(allowedRetries: 3, shuttingDown: true)
        #expect(answer16 == .giveUp(retries: 0))
    }
}
