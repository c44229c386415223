import Foundation
import IPC
@testable import SupervisorCore
import Testing

/// A suite that drives a ``WorkerLifecycle`` through events at chosen times, without processes.
protocol LifecycleScenario {
    /// Time zero of the scenario.
    var t0: ContinuousClock.Instant { get }
}

extension LifecycleScenario {
    var crash: WorkerExit { WorkerExit(status: 1, signaled: false) }
    var sigkill: WorkerExit { WorkerExit(status: 9, signaled: true) }

    func at(_ seconds: Double) -> ContinuousClock.Instant {
        t0 + .milliseconds(Int(seconds * 1000))
    }

    /// A lifecycle with jitter pinned to the top of the range, started and ready at t=0.
    func running(_ policy: RestartPolicy = RestartPolicy()) -> WorkerLifecycle {
        var lifecycle = WorkerLifecycle(policy: policy, random: { 1 })
        #expect(lifecycle.event(.start(cause: "test", at: at(0))) == .spawn)
        #expect(lifecycle.event(.ready(at: at(0))) == .none)
        #expect(lifecycle.state == .ready)
        return lifecycle
    }
}
