/// The life of one tenant's worker as a pure state machine: no processes, no clock, no I/O.
///
/// The controller feeds it what happened (``Event``) with the time it happened and performs the
/// ``Action`` it answers. Every change of ``state`` comes with a ``cause`` fit for the log.
/// Crash accounting (backoff doubling, its reset after a stable uptime, the crash window that
/// ends in `errored`) lives here so it can be tested with an injected clock.
public struct WorkerLifecycle: Sendable {
    public typealias Instant = ContinuousClock.Instant

    /// Something that happened to the worker or was asked of it.
    public enum Event: Sendable, Equatable {
        /// Start the worker (at supervisor start, or an operator's `start`).
        case start(cause: String, at: Instant)
        /// Stop gracefully and stay stopped (operator `stop`, supervisor shutdown).
        case stop(cause: String)
        /// Stop gracefully, then start again (operator `restart`).
        case restart(cause: String, at: Instant)
        /// SIGKILL now and stay stopped (operator `kill`).
        case kill(cause: String)
        /// Liveness failed (silent, stuck, over its memory limit): kill it and restart with backoff.
        case unhealthy(cause: String)
        /// The worker said something no restart can fix (a `ready` in another protocol version): kill
        /// it and leave it `errored` until an operator starts it.
        case refused(cause: String)
        /// The worker answered `ready`.
        case ready(at: Instant)
        /// A sync was handed to the worker.
        case syncStarted(runID: String)
        /// The sync in hand ended with a result.
        case syncFinished(runID: String, status: String)
        /// The process could not be spawned.
        case spawnFailed(error: String, at: Instant)
        /// A stop found no process to wait for: the last one had exited and the next was not spawned yet.
        case nothingToStop(at: Instant)
        /// The process ended; `reason` is what the worker said before a permanent exit (its `fatal`),
        /// which becomes the `errored` state's cause.
        case exited(WorkerExit, at: Instant, reason: String? = nil)
        /// The backoff delay is over.
        case backoffElapsed(at: Instant)
    }

    /// What the controller must do now.
    public enum Action: Sendable, Equatable {
        case none
        /// Spawn a worker process.
        case spawn
        /// Send `shutdown`, close stdin, SIGKILL the process group after the grace period.
        case stopGracefully
        /// SIGKILL the process group now.
        case kill
        /// Wait `after`, then feed ``Event/backoffElapsed(at:)``.
        case scheduleRestart(after: Duration)
        /// The worker is `errored`: nothing runs until an operator starts it.
        case giveUp
    }

    public private(set) var state: WorkerState = .stopped
    /// Why the worker is in its current state.
    public private(set) var cause = "not started"
    /// Why the worker last crashed or gave up; kept across restarts for status.
    public private(set) var lastError: String?
    /// How many times a worker was started again after the first start.
    public private(set) var restarts = 0
    /// Crashes since the last stable uptime; drives the backoff doubling.
    public private(set) var consecutiveCrashes = 0
    /// When the restart waiting in `backoff` is due.
    public private(set) var backoffUntil: Instant?
    /// When the current process was started.
    public private(set) var startedAt: Instant?
    public var policy: RestartPolicy

    private var crashTimes: [Instant] = []
    private var startAfterExit = false
    /// Why the worker being killed was killed by the supervisor, and whether that is for good.
    private var killedBecause: (cause: String, permanent: Bool)?
    private let random: @Sendable () -> Double

    /// - Parameter random: jitter source returning values in `0..<1`; tests pass a constant.
    public init(policy: RestartPolicy = RestartPolicy(), random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.policy = policy
        self.random = random
    }

    /// Whether a worker process exists (or is being spawned) in this state.
    public var hasProcess: Bool {
        [.starting, .ready, .syncing, .stopping].contains(state)
    }

    /// Ends a stop that has no process to wait for, as an exit would: stopped, or started again
    /// when a restart asked for it.
    private mutating func endStopWithoutProcess(at: Instant, detail: String) -> Action {
        killedBecause = nil
        if startAfterExit {
            startAfterExit = false
            return begin(at: at, cause: "restarting; \(detail)", counted: true)
        }
        move(to: .stopped, "\(cause); \(detail)")
        return .none
    }

    public mutating func event(_ event: Event) -> Action {
        switch event {
        case .start(let cause, let at):
            switch state {
            case .stopped, .errored, .backoff:
                // A start after a stop (or of an errored worker) is a fresh start: crashes before it
                // no longer count, so one failure cannot put the tenant straight back in `errored`.
                if state != .backoff { forgetCrashes() }
                return begin(at: at, cause: cause, counted: false)
            case .stopping:
                startAfterExit = true
                return .none
            case .starting, .ready, .syncing:
                return .none
            }

        case .stop(let cause):
            startAfterExit = false
            switch state {
            case .starting, .ready, .syncing:
                move(to: .stopping, cause)
                return .stopGracefully
            case .backoff, .errored:
                backoffUntil = nil
                move(to: .stopped, cause)
                return .none
            case .stopping, .stopped:
                killedBecause = nil
                return .none
            }

        case .restart(let cause, let at):
            switch state {
            case .starting, .ready, .syncing:
                startAfterExit = true
                move(to: .stopping, cause)
                return .stopGracefully
            case .stopping:
                startAfterExit = true
                return .none
            case .stopped, .errored, .backoff:
                forgetCrashes()
                return begin(at: at, cause: cause, counted: true)
            }

        case .kill(let cause):
            startAfterExit = false
            killedBecause = nil
            switch state {
            case .starting, .ready, .syncing, .stopping:
                move(to: .stopping, cause)
                return .kill
            case .backoff, .errored:
                backoffUntil = nil
                move(to: .stopped, cause)
                return .none
            case .stopped:
                return .none
            }

        case .unhealthy(let cause):
            guard [.starting, .ready, .syncing].contains(state) else { return .none }
            killedBecause = (cause, permanent: false)
            move(to: .stopping, cause)
            return .kill

        case .refused(let cause):
            guard [.starting, .ready, .syncing].contains(state) else { return .none }
            startAfterExit = false
            killedBecause = (cause, permanent: true)
            move(to: .stopping, cause)
            return .kill

        case .ready:
            guard state == .starting else { return .none }
            move(to: .ready, "worker ready")
            return .none

        case .syncStarted(let runID):
            guard state == .ready else { return .none }
            move(to: .syncing, "run \(runID)")
            return .none

        case .syncFinished(let runID, let status):
            guard state == .syncing else { return .none }
            move(to: .ready, "run \(runID) \(status)")
            return .none

        case .spawnFailed(let error, let at):
            switch state {
            case .starting:
                return crashed(at: at, cause: "cannot start worker: \(error)", permanent: false)
            case .stopping:
                // Stopped (a lost lease, an operator) while its worker was being spawned, and the spawn
                // failed: no process will exit to end the stop, so it ends here, as an exit would end it.
                return endStopWithoutProcess(at: at, detail: "its worker could not be started: \(error)")
            case .ready, .syncing, .backoff, .errored, .stopped:
                return .none
            }

        case .nothingToStop(let at):
            guard state == .stopping else { return .none }
            return endStopWithoutProcess(at: at, detail: "no worker was running")

        case .exited(let exit, let at, let reason):
            switch state {
            case .stopping:
                if let killed = killedBecause {
                    killedBecause = nil
                    if killed.permanent {
                        return crashed(at: at, cause: killed.cause, permanent: true, detail: "worker \(exit)")
                    }
                    return crashed(at: at, cause: "\(killed.cause); worker \(exit)", permanent: false)
                }
                if startAfterExit {
                    startAfterExit = false
                    return begin(at: at, cause: "restarting after worker \(exit)", counted: true)
                }
                // Why it was stopped stays first: "lease lost: database unreachable", not only a signal.
                move(to: .stopped, "\(cause); worker \(exit)")
                return .none
            case .starting, .ready, .syncing:
                let during = state == .syncing ? " during a sync" : ""
                if exit.isPermanentFailure, let reason {
                    return crashed(at: at, cause: reason, permanent: true, detail: "worker \(exit)\(during)")
                }
                return crashed(at: at, cause: "worker \(exit)\(during)", permanent: exit.isPermanentFailure)
            case .stopped, .backoff, .errored:
                return .none
            }

        case .backoffElapsed(let at):
            guard state == .backoff else { return .none }
            if let due = backoffUntil, at < due { return .scheduleRestart(after: due - at) }
            return begin(at: at, cause: "restart after backoff (crash \(consecutiveCrashes))", counted: true)
        }
    }

    private mutating func begin(at: Instant, cause: String, counted: Bool) -> Action {
        if counted { restarts += 1 }
        startedAt = at
        backoffUntil = nil
        killedBecause = nil
        move(to: .starting, cause)
        return .spawn
    }

    private mutating func crashed(at: Instant, cause: String, permanent: Bool, detail: String? = nil) -> Action {
        lastError = cause
        if permanent {
            move(to: .errored, "\(cause)\(detail.map { "; \($0)" } ?? ""): permanent failure, not restarting until started")
            return .giveUp
        }
        let uptime = startedAt.map { at - $0 }
        let afterLongUptime = uptime.map { $0 >= policy.resetAfter } ?? false
        if afterLongUptime {
            consecutiveCrashes = 0
        }
        consecutiveCrashes += 1
        crashTimes.removeAll { at - $0 > policy.crashWindow }
        let firstInWindow = crashTimes.isEmpty
        crashTimes.append(at)
        if crashTimes.count > policy.maximumCrashes {
            move(to: .errored, "\(cause): \(crashTimes.count) crashes within \(policy.crashWindow.formatted()), not restarting")
            return .giveUp
        }
        let afterStableUptime = uptime.map { $0 >= policy.stableUptime } ?? false
        if afterLongUptime || (afterStableUptime && firstInWindow) {
            // One crash of a worker that had started well is an accident, not a loop: the tenant gets
            // its worker back at once, and the backoff applies from the next crash within the window.
            return begin(at: at, cause: "\(cause); restarted at once after \(Self.uptime(uptime ?? .zero)) up", counted: true)
        }
        let delay = policy.delay(attempt: consecutiveCrashes, unit: random())
        backoffUntil = at + delay
        move(to: .backoff, "\(cause); restarting in \(delay.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))")
        return .scheduleRestart(after: delay)
    }

    private static func uptime(_ duration: Duration) -> String {
        duration.formatted(.units(allowed: [.hours, .minutes, .seconds, .milliseconds], width: .narrow, maximumUnitCount: 2))
    }

    private mutating func forgetCrashes() {
        crashTimes.removeAll()
        consecutiveCrashes = 0
    }

    private mutating func move(to newState: WorkerState, _ cause: String) {
        state = newState
        self.cause = cause
    }
}
