import Foundation
import IPC
import Testing
@testable import SupervisorCore

@Suite("WorkerLifecycle: restart policy and transitions, without processes")
struct WorkerLifecycleTests: LifecycleScenario {
    let t0 = ContinuousClock.now

    @Test("a crash loop backs off 100 ms, 200 ms, 400 ms, … and ends errored after more than 5 crashes in 60 s")
    func crashLoop() {
        var lifecycle = running()
        var now = 0.0
        var delays: [Duration] = []
        for _ in 1...5 {
            now += 0.01
            guard case .scheduleRestart(let delay) = lifecycle.event(.exited(crash, at: at(now))) else {
                Issue.record("expected a restart, got state \(lifecycle.state)")
                return
            }
            #expect(lifecycle.state == .backoff)
            delays.append(delay)
            now += WorkerLifecycleClock.seconds(delay)
            #expect(lifecycle.event(.backoffElapsed(at: at(now))) == .spawn)
            #expect(lifecycle.state == .starting)
        }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600)])
        #expect(lifecycle.event(.exited(crash, at: at(now + 0.01))) == .giveUp)
        #expect(lifecycle.state == .errored)
        #expect(lifecycle.cause.contains("6 crashes"))
        #expect(lifecycle.restarts == 5)
        // Errored stays errored: a stale backoff timer does nothing.
        #expect(lifecycle.event(.backoffElapsed(at: at(now + 100))) == .none)
        #expect(lifecycle.state == .errored)
    }

    @Test("backoff is capped at the maximum and jitter stays in the upper half")
    func capAndJitter() {
        let policy = RestartPolicy()
        #expect(policy.ceiling(attempt: 30) == .seconds(30))
        #expect(policy.ceiling(attempt: 1) == .milliseconds(100))
        #expect(policy.delay(attempt: 1, unit: 0) == .milliseconds(50))
        #expect(policy.delay(attempt: 1, unit: 0.5) == .milliseconds(75))
        #expect(policy.delay(attempt: 20, unit: 0.999) <= .seconds(30))
    }

    @Test("a crash after staying up for the reset interval restarts at once; a second one backs off from 100 ms")
    func stableUptimeResetsBackoff() {
        var policy = RestartPolicy()
        policy.maximumCrashes = 100
        var lifecycle = running(policy)
        var now = 0.0
        for _ in 1...4 {
            now += 0.01
            _ = lifecycle.event(.exited(crash, at: at(now)))
            now = WorkerLifecycleClock.seconds(lifecycle.backoffUntil! - t0)
            _ = lifecycle.event(.backoffElapsed(at: at(now)))
        }
        #expect(lifecycle.consecutiveCrashes == 4)
        // Up for 59 s: not enough, the doubling goes on.
        #expect(lifecycle.event(.ready(at: at(now))) == .none)
        var probe = lifecycle
        #expect(probe.event(.exited(crash, at: at(now + 59))) == .scheduleRestart(after: .milliseconds(1600)))
        // Up for 61 s: replaced at once, counted as the first crash.
        let restartsBefore = lifecycle.restarts
        #expect(lifecycle.event(.exited(crash, at: at(now + 61))) == .spawn)
        #expect(lifecycle.state == .starting)
        #expect(lifecycle.cause.contains("restarted at once after 1m 1s up"), "\(lifecycle.cause)")
        #expect(lifecycle.restarts == restartsBefore + 1)
        #expect(lifecycle.consecutiveCrashes == 1)
        // Its replacement crashes soon after: the backoff applies, from 200 ms (the second crash).
        #expect(lifecycle.event(.ready(at: at(now + 61.5))) == .none)
        #expect(lifecycle.event(.exited(crash, at: at(now + 62))) == .scheduleRestart(after: .milliseconds(200)))
    }

    @Test("a first crash after a stable uptime (1 s) restarts at once; a second within the window backs off from 200 ms")
    func firstCrashAfterStableUptime() {
        var lifecycle = running()
        #expect(lifecycle.event(.exited(sigkill, at: at(3))) == .spawn)
        #expect(lifecycle.state == .starting)
        #expect(lifecycle.cause.contains("restarted at once after 3s up"), "\(lifecycle.cause)")
        #expect(lifecycle.restarts == 1)
        #expect(lifecycle.consecutiveCrashes == 1)
        #expect(lifecycle.event(.ready(at: at(3.1))) == .none)
        // Up 10 s again, but the first crash is 10 s old: the backoff applies, as the second crash.
        #expect(lifecycle.event(.exited(crash, at: at(13))) == .scheduleRestart(after: .milliseconds(200)))
        #expect(lifecycle.state == .backoff)
    }

    @Test("a crash within the first second backs off, even the first; once the window has passed a crash is first again")
    func crashBeforeStableUptimeBacksOff() {
        var lifecycle = running()
        #expect(lifecycle.event(.exited(crash, at: at(0.9))) == .scheduleRestart(after: .milliseconds(100)))
        #expect(lifecycle.event(.backoffElapsed(at: at(1))) == .spawn)
        #expect(lifecycle.event(.ready(at: at(1))) == .none)
        // 70 s later the crash at 0.9 s has left the 60 s window: this one is replaced at once.
        #expect(lifecycle.event(.exited(crash, at: at(71))) == .spawn)
        // A shorter stable uptime makes an early crash count as one of a worker that started well.
        var policy = RestartPolicy()
        policy.stableUptime = .milliseconds(200)
        var quick = running(policy)
        #expect(quick.event(.exited(crash, at: at(0.3))) == .spawn)
    }

    @Test("a crash after a stable uptime still counts toward the crash window")
    func stableCrashCountsInTheWindow() {
        var policy = RestartPolicy()
        policy.maximumCrashes = 0
        var lifecycle = running(policy)
        #expect(lifecycle.event(.exited(crash, at: at(120))) == .giveUp)
        #expect(lifecycle.state == .errored)
    }

    @Test("crashes spread wider than the window never reach errored")
    func crashWindowSlides() {
        var lifecycle = running()
        var now = 0.0
        for _ in 1...20 {
            now += 20
            let action = lifecycle.event(.exited(crash, at: at(now)))
            #expect(action != .giveUp)
            // The first crash within the window is replaced at once; the later ones wait out a backoff.
            if case .scheduleRestart = action {
                now = WorkerLifecycleClock.seconds(lifecycle.backoffUntil! - t0)
                #expect(lifecycle.event(.backoffElapsed(at: at(now))) == .spawn)
            }
            _ = lifecycle.event(.ready(at: at(now)))
        }
        #expect(lifecycle.state == .ready)
    }

    @Test("the permanent-failure exit code is not restarted; an explicit start is")
    func permanentFailure() {
        var lifecycle = running()
        let action = lifecycle.event(.exited(WorkerExit(status: WorkerExitCode.permanentFailure, signaled: false), at: at(1)))
        #expect(action == .giveUp)
        #expect(lifecycle.state == .errored)
        #expect(lifecycle.cause.contains("permanent"))
        #expect(lifecycle.event(.start(cause: "operator", at: at(2))) == .spawn)
        #expect(lifecycle.state == .starting)
        #expect(lifecycle.consecutiveCrashes == 0)
    }

    @Test("a permanent exit the worker explained is errored with its reason first")
    func permanentFailureWithReason() {
        var lifecycle = running()
        let exit = WorkerExit(status: WorkerExitCode.permanentFailure, signaled: false)
        #expect(lifecycle.event(.exited(exit, at: at(1), reason: "credentials rejected: HTTP 401")) == .giveUp)
        #expect(lifecycle.state == .errored)
        #expect(lifecycle.cause.hasPrefix("credentials rejected: HTTP 401; worker exited with status 78"))
        #expect(lifecycle.lastError == "credentials rejected: HTTP 401")
        // A reason does not make a transient exit permanent.
        var transient = running()
        #expect(transient.event(.exited(crash, at: at(0.5), reason: "ignored")) == .scheduleRestart(after: .milliseconds(100)))
        #expect(transient.lastError == "worker exited with status 1")
    }

    @Test("stop is graceful and stays stopped; the exit is not a crash")
    func stop() {
        var lifecycle = running()
        #expect(lifecycle.event(.stop(cause: "operator")) == .stopGracefully)
        #expect(lifecycle.state == .stopping)
        #expect(lifecycle.event(.exited(WorkerExit(status: 0, signaled: false), at: at(1))) == .none)
        #expect(lifecycle.state == .stopped)
        #expect(lifecycle.consecutiveCrashes == 0)
        #expect(lifecycle.restarts == 0)
    }

    @Test("restart stops gracefully then spawns at once, without backoff")
    func restart() {
        var lifecycle = running()
        #expect(lifecycle.event(.restart(cause: "operator", at: at(1))) == .stopGracefully)
        #expect(lifecycle.event(.exited(WorkerExit(status: 0, signaled: false), at: at(2))) == .spawn)
        #expect(lifecycle.state == .starting)
        #expect(lifecycle.restarts == 1)
        #expect(lifecycle.consecutiveCrashes == 0)
    }

    @Test("kill SIGKILLs now and stays stopped")
    func kill() {
        var lifecycle = running()
        #expect(lifecycle.event(.kill(cause: "operator")) == .kill)
        #expect(lifecycle.event(.exited(sigkill, at: at(1))) == .none)
        #expect(lifecycle.state == .stopped)
    }

    @Test("a liveness failure kills the worker and restarts it with backoff, counted as a crash")
    func unhealthy() {
        var lifecycle = running()
        #expect(lifecycle.event(.syncStarted(runID: "r1")) == .none)
        #expect(lifecycle.state == .syncing)
        #expect(lifecycle.event(.unhealthy(cause: "stuck")) == .kill)
        #expect(lifecycle.state == .stopping)
        #expect(lifecycle.event(.exited(sigkill, at: at(0.5))) == .scheduleRestart(after: .milliseconds(100)))
        #expect(lifecycle.state == .backoff)
        #expect(lifecycle.lastError?.contains("stuck") == true)
        #expect(lifecycle.consecutiveCrashes == 1)
    }

    @Test("stop during backoff cancels the restart; start from stopped spawns")
    func stopDuringBackoff() {
        var lifecycle = running()
        _ = lifecycle.event(.exited(crash, at: at(0.5)))
        #expect(lifecycle.state == .backoff)
        #expect(lifecycle.event(.stop(cause: "operator")) == .none)
        #expect(lifecycle.state == .stopped)
        #expect(lifecycle.event(.backoffElapsed(at: at(5))) == .none)
        #expect(lifecycle.state == .stopped)
        #expect(lifecycle.event(.start(cause: "operator", at: at(6))) == .spawn)
    }

    @Test("an early backoff wake-up waits for the rest of the delay")
    func earlyWakeUp() {
        var lifecycle = running()
        _ = lifecycle.event(.exited(crash, at: at(0.5)))
        #expect(lifecycle.event(.backoffElapsed(at: at(0.55))) == .scheduleRestart(after: .milliseconds(50)))
        #expect(lifecycle.state == .backoff)
    }

    @Test("a sync ends back in ready; a crash during it says so")
    func syncTransitions() {
        var lifecycle = running()
        _ = lifecycle.event(.syncStarted(runID: "r1"))
        _ = lifecycle.event(.syncFinished(runID: "r1", status: "succeeded"))
        #expect(lifecycle.state == .ready)
        _ = lifecycle.event(.syncStarted(runID: "r2"))
        _ = lifecycle.event(.exited(sigkill, at: at(3)))
        #expect(lifecycle.cause.contains("during a sync"))
    }

    @Test("supervision settings: tenant values win over global ones, which win over defaults")
    func settingsMerge() throws {
        let global = SupervisionSettings(initialBackoff: 0.5, maximumCrashes: 3, heartbeatTimeout: 20)
        let tenant = SupervisionSettings(maximumCrashes: 9, memoryLimitMegabytes: 64, stableUptime: 2.5)
        let merged = tenant.over(global)
        #expect(merged.restartPolicy.stableUptime == .milliseconds(2500))
        #expect(global.restartPolicy.stableUptime == .seconds(1))
        #expect(merged.restartPolicy.initialBackoff == .milliseconds(500))
        #expect(merged.restartPolicy.maximumCrashes == 9)
        #expect(merged.restartPolicy.maximumBackoff == .seconds(30))
        #expect(merged.livenessPolicy.heartbeatTimeout == .seconds(20))
        #expect(merged.livenessPolicy.stuckTimeout == .seconds(300))
        #expect(merged.livenessPolicy.memoryLimitBytes == 64 * 1024 * 1024)
        #expect(throws: ConfigurationError.self) { try SupervisionSettings(heartbeatTimeout: -1).validate(context: "x") }
        #expect(throws: ConfigurationError.self) { try SupervisionSettings(stableUptime: 0).validate(context: "x") }
    }

    @Test("/proc parsing copes with spaces and parentheses in the command name")
    func procParsing() throws {
        let stat = "1234 (tenant (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 100 1000 10"
        let sample = try #require(ProcessSample.parse(stat: stat, statm: "5000 300 100 1 0 200 0", pageSize: 4096, at: t0))
        #expect(sample.cpuTicks == 300)
        #expect(sample.residentBytes == 300 * 4096)
        #expect(ProcessSample.parse(stat: "garbage", statm: "", pageSize: 4096, at: t0) == nil)
        let mine = try #require(ProcessSample.read(pid: getpid()))
        #expect(mine.residentBytes > 1_000_000)
    }
}
