@testable import SupervisorCore
import Testing

@Suite("Sync-all runs joinable from their request until a tenant starts")
struct UnstartedRunsTests {
    let all = UnstartedRuns.Key(tenantIDs: ["hotel-a", "hotel-b"], options: SyncOptions())

    struct StoreFailed: Error, Equatable {}

    @Test("a matching sync-all joins the stored run; other tenants or options store their own")
    func matchingKeyJoins() async throws {
        let runs = UnstartedRuns()
        #expect(try await runs.enter(all, runID: "run_1") { _ in true } == .storing)
        runs.stored("run_1")
        #expect(try await runs.enter(all, runID: "run_2") { _ in true } == .joined("run_1"))
        let full = UnstartedRuns.Key(tenantIDs: ["hotel-a", "hotel-b"], options: SyncOptions(full: true))
        #expect(try await runs.enter(full, runID: "run_3") { _ in true } == .storing)
        #expect(try await runs.enter(UnstartedRuns.Key(tenantIDs: ["hotel-a"], options: SyncOptions()), runID: "run_4") { _ in true } == .storing)
        #expect(try await runs.enter(all, runID: "run_5") { _ in true } == .joined("run_1"))
    }

    @Test("a request arriving while the run is being stored waits for the store, then joins it")
    func joinsARunBeingStored() async throws {
        let runs = UnstartedRuns()
        #expect(try await runs.enter(all, runID: "run_1") { _ in true } == .storing)
        let all = self.all
        let joiner = Task { try await runs.enter(all, runID: "run_2") { _ in true } }
        try await waitUntil { runs.waiterCount(of: "run_1") == 1 }
        runs.stored("run_1")
        #expect(try await joiner.value == .joined("run_1"))
    }

    @Test("a request waiting for a store that fails gets its error, and the next request stores a run of its own")
    func sharesTheStoreFailure() async throws {
        let runs = UnstartedRuns()
        #expect(try await runs.enter(all, runID: "run_1") { _ in true } == .storing)
        let all = self.all
        let joiner = Task { try await runs.enter(all, runID: "run_2") { _ in true } }
        try await waitUntil { runs.waiterCount(of: "run_1") == 1 }
        runs.failed("run_1", error: StoreFailed())
        await #expect(throws: StoreFailed.self) { try await joiner.value }
        #expect(try await runs.enter(all, runID: "run_3") { _ in true } == .storing)
    }

    @Test("once a tenant of the run starts it is never joined again, and the next run is")
    func startedRunIsNotJoined() async throws {
        let runs = UnstartedRuns()
        _ = try await runs.enter(all, runID: "run_1") { _ in true }
        runs.stored("run_1")
        runs.started("run_1")
        #expect(try await runs.enter(all, runID: "run_2") { _ in true } == .storing)
        runs.stored("run_2")
        #expect(try await runs.enter(all, runID: "run_3") { _ in true } == .joined("run_2"))
        // A start of the older run, reported late, leaves the newer one joinable.
        runs.started("run_1")
        #expect(try await runs.enter(all, runID: "run_4") { _ in true } == .joined("run_2"))
    }

    @Test("a stored run the caller refuses (cancelled, a tenant held elsewhere) is dropped for the new one")
    func refusedRunIsDropped() async throws {
        let runs = UnstartedRuns()
        _ = try await runs.enter(all, runID: "run_1") { _ in true }
        runs.stored("run_1")
        var asked: [String] = []
        #expect(try await runs.enter(all, runID: "run_2") { asked.append($0); return false } == .storing)
        #expect(asked == ["run_1"])
        runs.stored("run_2")
        asked = []
        #expect(try await runs.enter(all, runID: "run_3") { asked.append($0); return true } == .joined("run_2"))
        #expect(asked == ["run_2"])
    }

    /// Waits, yielding, until `condition` holds; fails after five seconds.
    private func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while !condition() {
            try #require(ContinuousClock.now < deadline, "condition not met within 5 s")
            await Task.yield()
        }
    }
}
