import IPC
import Testing
@testable import SupervisorCore

@Suite("SyncAttempts: what each attempt committed, summed over retries")
struct SyncAttemptsTests {
    let order = ["accommodation_types", "accommodations", "rates", "reservations"]

    func progress(_ stream: String, page: Int, created: Int, unchanged: Int = 0) -> SyncProgress {
        let step = (order.firstIndex(of: stream) ?? 0) + 1
        return SyncProgress(
            runID: "run_x", stream: stream, step: step, steps: order.count, page: page, pages: nil,
            counts: StreamCounts(fetched: created + unchanged, created: created, unchanged: unchanged)
        )
    }

    @Test("a worker that dies leaves the counts of its last progress per stream; the stream in hand failed")
    func abandoned() {
        var attempts = SyncAttempts()
        attempts.begin()
        attempts.record(progress("accommodation_types", page: 1, created: 3))
        attempts.record(progress("accommodations", page: 1, created: 4))
        attempts.record(progress("rates", page: 1, created: 2))
        attempts.record(progress("reservations", page: 1, created: 10))
        attempts.record(progress("reservations", page: 2, created: 20))
        attempts.abandon(because: "worker 42 killed by signal 9 during the run", order: order)
        let report = attempts.result(runID: "run_x", status: .failed, error: "worker 42 killed by signal 9 during the run")
        #expect(report.attempts == 1)
        #expect(report.result.streams.map(\.status) == [.succeeded, .succeeded, .succeeded, .failed])
        #expect(report.result.streams.map(\.counts.created) == [3, 4, 2, 20])
        #expect(report.result.streams[3].error == "worker 42 killed by signal 9 during the run")
        #expect(report.result.totals.created == 29)
    }

    @Test("streams after the one in hand are skipped; a worker that died before any commit leaves nothing")
    func early() {
        var attempts = SyncAttempts()
        attempts.begin()
        attempts.record(progress("accommodation_types", page: 1, created: 3))
        attempts.abandon(because: "died", order: order)
        let streams = attempts.streams
        #expect(streams.map(\.status) == [.failed, .skipped, .skipped, .skipped])
        #expect(streams[1].error?.contains("accommodation_types") == true)

        var none = SyncAttempts()
        none.begin()
        none.abandon(because: "died", order: order)
        #expect(none.streams.isEmpty)
        #expect(none.result(runID: "r", status: .failed, error: "died").result.totals == StreamCounts())
    }

    @Test("a retry adds its result to what the crashed attempt committed; statuses come from the last attempt")
    func retried() {
        var attempts = SyncAttempts()
        attempts.begin()
        attempts.record(progress("accommodation_types", page: 1, created: 3))
        attempts.record(progress("accommodations", page: 1, created: 4))
        attempts.abandon(because: "died", order: order)
        attempts.begin()
        // The progress of the crashed attempt is not counted twice.
        attempts.end(with: RunResult(runID: "run_x", status: .succeeded, streams: [
            StreamResult(stream: "accommodation_types", status: .succeeded, counts: StreamCounts(fetched: 3, unchanged: 3)),
            StreamResult(stream: "accommodations", status: .succeeded, counts: StreamCounts(fetched: 4, unchanged: 4)),
            StreamResult(stream: "rates", status: .succeeded, counts: StreamCounts(fetched: 2, created: 2)),
            StreamResult(stream: "reservations", status: .succeeded, counts: StreamCounts(fetched: 30, created: 30, deleted: 1)),
        ], error: nil, durationMilliseconds: 120))
        let report = attempts.result(runID: "run_x", status: .succeeded, error: nil)
        #expect(report.attempts == 2)
        #expect(report.result.streams.map(\.status) == [.succeeded, .succeeded, .succeeded, .succeeded])
        #expect(report.result.streams.allSatisfy { $0.error == nil })
        #expect(report.result.streams.map(\.counts.created) == [3, 4, 2, 30])
        #expect(report.result.streams.map(\.counts.fetched) == [6, 8, 2, 30])
        #expect(report.result.streams.map(\.counts.unchanged) == [3, 4, 0, 0])
        #expect(report.result.totals.deleted == 1)
        #expect(report.result.durationMilliseconds == 120)
    }

    @Test("no attempt handed to a worker still counts as one")
    func neverHanded() {
        let report = SyncAttempts().result(runID: "r", status: .failed, error: "worker is errored")
        #expect(report.attempts == 1)
        #expect(report.result.streams.isEmpty)
    }
}
