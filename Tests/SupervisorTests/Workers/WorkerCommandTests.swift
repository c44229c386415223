@testable import SupervisorCore
import Testing

/// What each command asked of a tenant's worker means for its lifecycle, without a process.
@Suite("WorkerCommand: operator verbs, leases and shutdown as lifecycle events")
struct WorkerCommandTests {
    static let now = ContinuousClock.now

    @Test("each command is one lifecycle event with the cause the tenant's status shows")
    func events() {
        #expect(WorkerCommand.start.event(at: Self.now) == .start(cause: "started by an operator", at: Self.now))
        #expect(WorkerCommand.stop.event(at: Self.now) == .stop(cause: "stopped by an operator"))
        #expect(WorkerCommand.restart.event(at: Self.now) == .restart(cause: "restarted by an operator", at: Self.now))
        #expect(WorkerCommand.kill.event(at: Self.now) == .kill(cause: "killed by an operator"))
        #expect(WorkerCommand.leaseAcquired.event(at: Self.now) == .start(cause: "lease acquired", at: Self.now))
        #expect(WorkerCommand.leaseLost(cause: "lease lost: expired").event(at: Self.now) == .kill(cause: "lease lost: expired"))
        #expect(WorkerCommand.handBack.event(at: Self.now) == .stop(cause: "lease handed to another supervisor"))
        #expect(WorkerCommand.shutdown.event(at: Self.now) == .stop(cause: "supervisor shutting down"))
    }

    @Test("only an operator's start and restart need the lease; kills wait 5 s for the exit, a hand-back the grace period more")
    func leaseAndWaits() {
        let all: [WorkerCommand] = [.start, .stop, .restart, .kill, .leaseAcquired, .leaseLost(cause: "x"), .handBack, .shutdown]
        #expect(all.filter(\.needsLease) == [.start, .restart])
        let grace = Duration.seconds(3)
        #expect(all.map { $0.exitTimeout(gracePeriod: grace) } == [nil, nil, nil, .seconds(5), nil, .seconds(5), .seconds(8), nil])
    }
}
