@testable import SupervisorCore
import Testing

@Suite("Sync-all runs joinable until a tenant starts")
struct UnstartedRunsTests {
    let all = UnstartedRuns.Key(tenantIDs: ["hotel-a", "hotel-b"], options: SyncOptions())

    @Test("a matching sync-all joins the queued run; other tenants or options do not")
    func matchingKeyJoins() {
        let runs = UnstartedRuns()
        #expect(runs.join(all) { _ in true } == nil)
        runs.add("run_1", all)
        #expect(runs.join(all) { _ in true } == "run_1")
        #expect(runs.join(UnstartedRuns.Key(tenantIDs: ["hotel-a", "hotel-b"], options: SyncOptions(full: true))) { _ in true } == nil)
        #expect(runs.join(UnstartedRuns.Key(tenantIDs: ["hotel-a"], options: SyncOptions())) { _ in true } == nil)
        // Two requests that both stored a run: the first stays the one joined.
        runs.add("run_2", all)
        #expect(runs.join(all) { _ in true } == "run_1")
    }

    @Test("once a tenant of the run starts it is never joined again, and the next run is")
    func startedRunIsNotJoined() {
        let runs = UnstartedRuns()
        runs.add("run_1", all)
        runs.started("run_1")
        #expect(runs.join(all) { _ in true } == nil)
        runs.started("run_1")
        runs.add("run_2", all)
        #expect(runs.join(all) { _ in true } == "run_2")
        // A start of the older run, reported late, leaves the newer one joinable.
        runs.started("run_1")
        #expect(runs.join(all) { _ in true } == "run_2")
    }

    @Test("a run the caller refuses (cancelled, a tenant held elsewhere) is dropped")
    func refusedRunIsDropped() {
        let runs = UnstartedRuns()
        runs.add("run_1", all)
        var asked: [String] = []
        #expect(runs.join(all) { asked.append($0); return false } == nil)
        #expect(asked == ["run_1"])
        asked = []
        #expect(runs.join(all) { asked.append($0); return true } == nil)
        #expect(asked.isEmpty)
        runs.add("run_2", all)
        #expect(runs.join(all) { _ in true } == "run_2")
    }
}
