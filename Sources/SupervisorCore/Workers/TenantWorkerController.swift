import Foundation
import IPC
import Logging
import Support

/// Owns one tenant's worker process: starts it, restarts it, feeds it syncs, stops it.
///
/// What the worker should be doing is decided by a ``WorkerLifecycle``; this actor feeds it the
/// events it sees (messages, exits, operator verbs, liveness failures) and performs the actions it
/// answers. ``supervise()`` spawns workers while the lifecycle says so and ``monitor()`` checks
/// liveness and samples resource use; both run in the fleet's task group until shutdown.
actor TenantWorkerController {
    let tenant: TenantConfiguration
    let environment: WorkerEnvironment
    /// Where this tenant's log lines go; its counters show in the status.
    var logStore: TenantLogStore { environment.logStore }
    var logger: Logger

    private(set) var lifecycle: WorkerLifecycle
    private(set) var liveness: LivenessPolicy
    private(set) var supervising = false
    private(set) var shuttingDown = false
    /// The worker process while one lives, with what it said and how healthy it is.
    var session: WorkerSession?
    var process: WorkerProcess? { session?.process }
    /// What the status shows of past workers, and the run being synced.
    private(set) var record = WorkerRecord()
    /// Bad protocol lines: counted, and reported at most once a second.
    var badLines: BadLineReport
    /// Connection tests sent to the worker and not answered yet.
    let connectionChecks = WorkerConnectionChecks()
    /// Tells the logs and the metrics of state changes, spawns and exits.
    let reporter: WorkerReporter

    /// The tenant's sync requests: joins, waits and retries; each attempt comes back here (``runSync``).
    let syncQueue: TenantSyncQueue
    /// Woken at every state change; the supervise loop, stops and hand-overs wait on it.
    let changes = ChangeSignal()

    init(tenant: TenantConfiguration, environment: WorkerEnvironment, logger: Logger) {
        self.tenant = tenant
        self.environment = environment
        var logger = logger
        logger[metadataKey: "tenant.id"] = "\(tenant.id)"
        self.logger = logger
        self.badLines = BadLineReport(tenant: tenant, logger: logger, logStore: environment.logStore)
        self.reporter = WorkerReporter(tenant: tenant, logger: logger, logStore: environment.logStore, metrics: environment.metrics)
        self.syncQueue = TenantSyncQueue(
            tenant: tenant, logger: logger, logStore: environment.logStore, databaseReachable: environment.databaseReachable
        )
        let settings = Self.settings(tenant, environment)
        self.lifecycle = WorkerLifecycle(policy: settings.restartPolicy)
        self.liveness = settings.livenessPolicy
    }

    static func settings(_ tenant: TenantConfiguration, _ environment: WorkerEnvironment) -> SupervisionSettings {
        (tenant.supervision ?? SupervisionSettings()).over(environment.supervision)
    }

    var state: WorkerState { lifecycle.state }
    /// The run the worker is syncing, if any.
    var currentRunID: String? { record.currentRunID }
    /// The streams the last ready worker syncs, in its order.
    var streams: [String] { record.streams }

    func markShuttingDown() {
        shuttingDown = true
    }

    // MARK: Life

    /// Keeps a worker running while the lifecycle wants one; returns once ``shutdown()`` has stopped it.
    func supervise() async {
        supervising = true
        if tenant.enabled, holdsLease, !shuttingDown {
            await perform(apply(.start(cause: "supervisor started", at: .now)))
        }
        while !shuttingDown {
            switch lifecycle.state {
            case .starting where process == nil:
                await runOnce()
            case .backoff:
                let due = lifecycle.backoffUntil ?? .now
                if ContinuousClock.now >= due {
                    await perform(apply(.backoffElapsed(at: .now)))
                } else {
                    await changes.wait(until: due)
                }
            default:
                await changes.wait()
            }
        }
    }

    /// Spawns one worker and follows it until it exits.
    private func runOnce() async {
        var launcher = WorkerLauncher(tenant: tenant, environment: environment, logger: logger)
        let worker: WorkerProcess
        do {
            try await launcher.issueCredentials()
            worker = try await launcher.spawn(runID: record.runIDBox)
        } catch {
            logger.error("worker spawn failed", metadata: ["error": "\(error)"])
            let cause = error is WorkerCredentialError ? "\(error)" : "\(environment.executable): \(error)"
            await perform(apply(.spawnFailed(error: cause, at: .now)))
            return
        }
        session = WorkerSession(process: worker, at: .now)
        reporter.spawned(pid: worker.pid)
        if lifecycle.state == .starting, !shuttingDown {
            worker.send(launcher.hello())
        } else {
            // Stopped or killed while it was being spawned.
            worker.closeInput()
            worker.signal(SIGKILL)
        }

        for await event in worker.events {
            handle(event, from: worker, launcher: launcher)
        }
    }

    private func handle(_ event: WorkerEvent, from worker: WorkerProcess, launcher: WorkerLauncher) {
        switch event {
        case .message(let message):
            react(to: session?.receive(message, at: .now) ?? .none)
        case .badLine(let error):
            badLines.record("\(error)", pid: worker.pid, at: .now)
        case .exited(let exit):
            handleExit(exit, of: worker, launcher: launcher)
        }
    }

    private func react(to reaction: WorkerSession.Reaction) {
        switch reaction {
        case .none:
            break
        case .refuse(let cause):
            // Nothing it would say could be trusted to mean what this supervisor reads: stop it for good.
            logger.error("worker refused", metadata: ["worker.pid": "\(process?.pid ?? 0)", "worker.cause": "\(cause)"])
            if apply(.refused(cause: cause)) == .kill { process?.signal(SIGKILL) }
        case .ready(let streams, let detail):
            record.streams = streams
            _ = apply(.ready(at: .now), detail: detail)
        case .fatal(let fatal):
            logger.error("worker reported a fatal error", metadata: ["error.code": "\(fatal.code.rawValue)", "error": "\(fatal.message)"])
        case .syncEnded(let run, let result, let outcome):
            record.syncEnded(result)
            _ = apply(.syncFinished(runID: result.runID, status: result.status.rawValue))
            run.continuation.resume(returning: outcome)
        case .strayResult(let runID):
            logger.warning("result for a run the worker was not given ignored", metadata: ["sync.run_id": "\(runID)"])
        case .checkResult(let result):
            if !connectionChecks.answer(result) {
                logger.info("connection test answered after its wait ended", metadata: ["check.id": "\(result.checkID)"])
            }
        }
    }

    private func handleExit(_ exit: WorkerExit, of worker: WorkerProcess, launcher: WorkerLauncher) {
        var ended = session
        session = nil
        record.lastExit = exit
        connectionChecks.failAll(reason: "the worker exited (\(exit)) before answering")
        environment.metrics?.recordExit(exit, tenant: tenant.id)
        let action = apply(.exited(exit, at: .now, reason: ended?.fatal.map(launcher.reason(for:))))
        reporter.exited(exit, pid: worker.pid, stopped: lifecycle.state == .stopped)
        if let run = ended?.takeSyncInHand() {
            record.currentRunID = nil
            let message = "worker \(worker.pid) \(exit) during the run"
            let willRestart = !shuttingDown && [.backoff, .starting].contains(lifecycle.state)
            run.continuation.resume(returning: willRestart ? .crashed(message) : .failed(message))
        }
        if case .giveUp = action {
            logger.error("worker errored; not restarting until started", metadata: ["worker.cause": "\(lifecycle.cause)"])
        }
    }

    // MARK: Lifecycle plumbing

    /// Feeds `event` to the lifecycle, logs any state change with its cause, wakes waiters.
    func apply(_ event: WorkerLifecycle.Event, detail: String? = nil) -> WorkerLifecycle.Action {
        let before = lifecycle.state
        let restartsBefore = lifecycle.restarts
        let action = lifecycle.event(event)
        reporter.transition(from: before, restartsBefore: restartsBefore, to: lifecycle, detail: detail, pid: process?.pid)
        if before != lifecycle.state { changes.wakeAll() }
        return action
    }

    /// Carries out what the lifecycle asked for.
    func perform(_ action: WorkerLifecycle.Action) async {
        switch action {
        case .none, .giveUp, .scheduleRestart, .spawn:
            // The supervise loop spawns in `starting` and waits out `backoff`; wake it.
            changes.wakeAll()
        case .stopGracefully:
            await stopProcess()
        case .kill:
            if let process {
                logger.warning("killing worker", metadata: ["worker.pid": "\(process.pid)", "worker.cause": "\(lifecycle.cause)"])
                process.signal(SIGKILL)
            }
        }
    }

    /// Sends `shutdown`, waits up to the grace period, then SIGKILLs the process group.
    private func stopProcess() async {
        guard let worker = process else { return }
        worker.send(.shutdown(Shutdown(reason: lifecycle.cause)))
        worker.closeInput()
        let grace = Duration.milliseconds(Int(environment.shutdownGracePeriod * 1000))
        let deadline = ContinuousClock.now + grace
        while process === worker, ContinuousClock.now < deadline {
            await changes.wait(until: deadline)
        }
        if process === worker {
            logger.warning("worker did not exit within the grace period; killing it", metadata: ["worker.pid": "\(worker.pid)"])
            worker.signal(SIGKILL)
        }
    }

    /// Waits until the current process (if any) has exited, or the deadline.
    func waitForExit(of worker: WorkerProcess, timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while process === worker, ContinuousClock.now < deadline {
            await changes.wait(until: deadline)
        }
    }
}
