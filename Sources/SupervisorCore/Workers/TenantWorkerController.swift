import Foundation
import IPC
import Logging
import Support

/// Owns one tenant's worker process: starts it, restarts it, feeds it syncs, stops it.
///
/// What the worker should be doing is decided by a ``WorkerLifecycle``, kept with the process alive now
/// in a ``WorkerTracker``; this actor feeds it the events it sees (messages, exits, operator verbs,
/// liveness failures) and performs the actions it answers. ``supervise()`` spawns workers while the
/// lifecycle says so and ``monitor()`` checks liveness and samples resource use; both run in the fleet's
/// task group until shutdown.
actor TenantWorkerController {
    let tenant: TenantConfiguration
    let environment: WorkerEnvironment
    /// Where this tenant's log lines go; its counters show in the status.
    var logStore: TenantLogStore { environment.logStore }
    var logger: Logger

    /// The worker's lifecycle, the process alive now and what past ones left; changed here only.
    var tracker: WorkerTracker
    private(set) var liveness: LivenessPolicy
    private(set) var supervising = false
    private(set) var shuttingDown = false

    /// The tenant's sync requests: joins, waits and retries; each attempt comes back here (``runSync``).
    let syncQueue: TenantSyncQueue
    /// Woken at every state change; the supervise loop, stops and hand-overs wait on it.
    let changes: ChangeSignal

    init(tenant: TenantConfiguration, environment: WorkerEnvironment, logger: Logger) {
        self.tenant = tenant
        self.environment = environment
        var logger = logger
        logger[metadataKey: "tenant.id"] = "\(tenant.id)"
        self.logger = logger
        self.syncQueue = TenantSyncQueue(
            tenant: tenant, logger: logger, logStore: environment.logStore, databaseReachable: environment.databaseReachable
        )
        let settings = Self.settings(tenant, environment)
        let changes = ChangeSignal()
        self.changes = changes
        self.tracker = WorkerTracker(
            tenant: tenant, lifecycle: WorkerLifecycle(policy: settings.restartPolicy), environment: environment, logger: logger, changes: changes
        )
        self.liveness = settings.livenessPolicy
    }

    static func settings(_ tenant: TenantConfiguration, _ environment: WorkerEnvironment) -> SupervisionSettings {
        (tenant.supervision ?? SupervisionSettings()).over(environment.supervision)
    }

    var lifecycle: WorkerLifecycle { tracker.lifecycle }
    var state: WorkerState { lifecycle.state }
    /// The worker process while one lives, with what it said and how healthy it is.
    var session: WorkerSession? { tracker.session }
    var process: WorkerProcess? { tracker.process }
    /// The run the worker is syncing, if any.
    var currentRunID: String? { tracker.record.currentRunID }
    /// The streams the last ready worker syncs, in its order.
    var streams: [String] { tracker.record.streams }
    /// The time a worker gets to exit after `shutdown`.
    var gracePeriod: Duration { .milliseconds(Int(environment.shutdownGracePeriod * 1000)) }

    func markShuttingDown() {
        shuttingDown = true
    }

    /// A snapshot for status displays.
    func status() -> TenantStatus {
        tracker.status(in: environment)
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
            case .stopping where process == nil:
                // Stopped after its worker exited and before the next was spawned (a lease lost as the
                // worker crashed): no exit will come to end the stop.
                await perform(apply(.nothingToStop(at: .now)))
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
            worker = try await launcher.spawn(runID: tracker.record.runIDBox)
        } catch {
            logger.error("worker spawn failed", metadata: ["error": "\(error)"])
            let cause = error is WorkerCredentialError ? "\(error)" : "\(environment.executable): \(error)"
            await perform(apply(.spawnFailed(error: cause, at: .now)))
            return
        }
        tracker.spawned(worker, at: .now)
        environment.liveWorkers.started(worker, for: tenant.id)
        defer { environment.liveWorkers.exited(worker, for: tenant.id) }
        if lifecycle.state == .starting, !shuttingDown {
            worker.send(launcher.hello())
        } else {
            // Stopped or killed while it was being spawned.
            worker.closeInput()
            worker.signal(SIGKILL)
        }

        for await event in worker.events {
            tracker.handle(event, from: worker, launcher: launcher, shuttingDown: shuttingDown)
        }
    }

    // MARK: Lifecycle plumbing

    /// Feeds `event` to the lifecycle, logs any state change with its cause, wakes waiters.
    func apply(_ event: WorkerLifecycle.Event, detail: String? = nil) -> WorkerLifecycle.Action {
        tracker.apply(event, detail: detail)
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
        await waitForExit(of: worker, timeout: gracePeriod)
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
