import Foundation
import IPC
@testable import SupervisorCore
import Testing

@Suite("Hardening without processes: crash history, refusals, stop causes, bad-line throttling")
struct LifecycleHardeningTests: LifecycleScenario {
    let t0 = ContinuousClock.now

    @Test("stop then start of an errored worker clears its crash history: one more crash backs off instead of erroring")
    func stopThenStartClearsCrashes() {
        var policy = RestartPolicy()
        policy.maximumCrashes = 1
        var lifecycle = running(policy)
        _ = lifecycle.event(.exited(crash, at: at(0.5)))
        _ = lifecycle.event(.backoffElapsed(at: at(2)))
        _ = lifecycle.event(.exited(crash, at: at(2.5)))
        #expect(lifecycle.state == .errored)
        #expect(lifecycle.event(.stop(cause: "stopped by an operator")) == .none)
        #expect(lifecycle.state == .stopped)
        #expect(lifecycle.event(.start(cause: "started by an operator", at: at(4))) == .spawn)
        #expect(lifecycle.consecutiveCrashes == 0)
        guard case .scheduleRestart = lifecycle.event(.exited(crash, at: at(4.5))) else {
            Issue.record("one crash after a fresh start put the worker in \(lifecycle.state): \(lifecycle.cause)")
            return
        }
        #expect(lifecycle.state == .backoff)
    }

    @Test("a stop with no process to wait for (a spawn that failed, or none begun) ends stopped; a restart starts again")
    func stopDuringAFailedSpawn() {
        // The lease is lost while a restarted worker's credentials are being issued, and the database
        // that took the lease also fails the issue: the stop has no process to wait for.
        var lifecycle = running()
        _ = lifecycle.event(.exited(sigkill, at: at(10)))
        #expect(lifecycle.state == .starting)
        #expect(lifecycle.event(.stop(cause: "lease lost: database unreachable")) == .stopGracefully)
        #expect(lifecycle.state == .stopping)
        #expect(lifecycle.event(.spawnFailed(error: "database unreachable", at: at(10.1))) == .none)
        #expect(lifecycle.state == .stopped)
        #expect(lifecycle.cause.hasPrefix("lease lost: database unreachable"))
        // Stopped, it starts again when told, as any stopped worker does.
        #expect(lifecycle.event(.start(cause: "lease acquired", at: at(12))) == .spawn)

        // A stop after the worker exited and before the next spawn has nothing to wait for either.
        var between = running()
        _ = between.event(.exited(sigkill, at: at(10)))
        #expect(between.event(.stop(cause: "lease lost: database unreachable")) == .stopGracefully)
        #expect(between.event(.nothingToStop(at: at(10.1))) == .none)
        #expect(between.state == .stopped)
        #expect(between.cause == "lease lost: database unreachable; no worker was running")

        var restarted = running()
        #expect(restarted.event(.restart(cause: "restarted by an operator", at: at(1))) == .stopGracefully)
        _ = restarted.event(.exited(sigkill, at: at(1.1)))
        #expect(restarted.state == .starting)
        #expect(restarted.event(.stop(cause: "stopped by an operator")) == .stopGracefully)
        #expect(restarted.event(.restart(cause: "restarted by an operator", at: at(1.2))) == .none)
        #expect(restarted.event(.spawnFailed(error: "no such file", at: at(1.3))) == .spawn)
        #expect(restarted.state == .starting)
    }

    @Test("a refused worker is killed and left errored with the cause, never restarted")
    func refusedIsPermanent() {
        var lifecycle = running()
        #expect(lifecycle.event(.refused(cause: "protocol mismatch: worker speaks protocol 99")) == .kill)
        #expect(lifecycle.state == .stopping)
        #expect(lifecycle.event(.exited(sigkill, at: at(1))) == .giveUp)
        #expect(lifecycle.state == .errored)
        #expect(lifecycle.cause.hasPrefix("protocol mismatch: worker speaks protocol 99; worker killed by signal 9"))
        #expect(lifecycle.lastError == "protocol mismatch: worker speaks protocol 99")
        #expect(lifecycle.restarts == 0)
    }

    @Test("a worker killed for a reason keeps the reason as its stopped state's cause, before the signal")
    func stopCauseKept() {
        var lifecycle = running()
        #expect(lifecycle.event(.kill(cause: "lease lost: database unreachable")) == .kill)
        #expect(lifecycle.event(.exited(sigkill, at: at(1))) == .none)
        #expect(lifecycle.state == .stopped)
        #expect(lifecycle.cause == "lease lost: database unreachable; worker killed by signal 9")
    }

    @Test("bad lines: the first is logged at once, then one line a second whose counts add up to every bad line")
    func badLineThrottle() {
        var throttle = BadLineThrottle(interval: .seconds(1))
        var logged: [String] = []
        for index in 0..<250 {
            if let line = throttle.record("malformed \(index)", at: at(Double(index) * 0.001)) { logged.append(line) }
        }
        #expect(logged == ["bad line from worker: malformed 0"])
        let early = throttle.flush(at: at(0.5))
        #expect(early == nil, "not before a second has passed")
        let flushed = throttle.flush(at: at(1.2))
        #expect(flushed == "bad line from worker: malformed 249; 248 more bad lines not logged since the last one")
        let nothing = throttle.flush(at: at(3))
        #expect(nothing == nil, "nothing left to report")
        // After a quiet second the next bad line is logged at once again.
        let next = throttle.record("unknown type", at: at(3.5))
        #expect(next == "bad line from worker: unknown type")
    }
}
