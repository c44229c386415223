import Foundation
import IPC
import Logging
import Support

/// A tenant's worker as its controller knows it: where it is in its ``WorkerLifecycle``, the process
/// alive now (``WorkerSession``), what past ones left for the status (``WorkerRecord``), and what each
/// thing the process says or does makes of them.
///
/// Plain state that ``TenantWorkerController`` keeps and changes on its actor only. Everything here is
/// synchronous (log lines, resuming whoever waits for a sync or a connection test, a SIGKILL to a worker
/// that must not be trusted) and every change of state wakes ``changes``; spawning, waiting and stopping
/// are the controller's.
struct WorkerTracker: Sendable {
    let tenant: TenantConfiguration
    let logger: Logger
    /// Woken at every change of state.
    let changes: ChangeSignal
    private(set) var lifecycle: WorkerLifecycle
    /// The worker process while one lives, with what it said and how healthy it is.
    private(set) var session: WorkerSession?
    /// What the status shows of past workers, and the run being synced.
    private(set) var record = WorkerRecord()
    /// Bad protocol lines: counted, and reported at most once a second.
    private var badLines: BadLineReport
    /// Connection tests sent to the worker and not answered yet.
    let connectionChecks = WorkerConnectionChecks()
    private let reporter: WorkerReporter

    init(tenant: TenantConfiguration, lifecycle: WorkerLifecycle, environment: WorkerEnvironment, logger: Logger, changes: ChangeSignal) {
        self.tenant = tenant
        self.logger = logger
        self.changes = changes
        self.lifecycle = lifecycle
        self.badLines = BadLineReport(tenant: tenant, logger: logger, logStore: environment.logStore)
        self.reporter = WorkerReporter(tenant: tenant, logger: logger, logStore: environment.logStore, metrics: environment.metrics)
    }

    var process: WorkerProcess? { session?.process }

    /// Feeds `event` to the lifecycle, logs any state change with its cause, wakes waiters.
    mutating func apply(_ event: WorkerLifecycle.Event, detail: String? = nil) -> WorkerLifecycle.Action {
        let before = lifecycle.state
        let restartsBefore = lifecycle.restarts
        let action = lifecycle.event(event)
        reporter.transition(from: before, restartsBefore: restartsBefore, to: lifecycle, detail: detail, pid: process?.pid)
        if before != lifecycle.state { changes.wakeAll() }
        return action
    }

    /// A worker process was spawned: it is the one alive now.
    mutating func spawned(_ process: WorkerProcess, at now: ContinuousClock.Instant) {
        session = WorkerSession(process: process, at: now)
        reporter.spawned(pid: process.pid)
    }

    /// Records what `process` said or did and acts on it; `shuttingDown` decides whether a sync its
    /// exit interrupts may be retried.
    mutating func handle(_ event: WorkerEvent, from process: WorkerProcess, launcher: WorkerLauncher, shuttingDown: Bool) {
        switch event {
        case .message(let message):
            react(to: session?.receive(message, at: .now) ?? .none)
        case .badLine(let error):
            badLines.record("\(error)", pid: process.pid, at: .now)
        case .exited(let exit):
            handleExit(exit, of: process, launcher: launcher, shuttingDown: shuttingDown)
        }
    }

    private mutating func react(to reaction: WorkerSession.Reaction) {
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

    private mutating func handleExit(_ exit: WorkerExit, of worker: WorkerProcess, launcher: WorkerLauncher, shuttingDown: Bool) {
        var ended = session
        session = nil
        record.lastExit = exit
        connectionChecks.failAll(reason: "the worker exited (\(exit)) before answering")
        reporter.metrics?.recordExit(exit, tenant: tenant.id)
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

    /// Gives the ready worker `command`, whose end `continuation` waits for (see
    /// ``WorkerSession/start(_:for:attempts:cancelReason:onProgress:at:)``); the continuation gets a
    /// failure at once when the worker's input is closed. A cancel that came while the request waited
    /// (``TenantWorkerController/cancelRun(_:reason:)`` found no sync of its run in hand then) still stops it.
    mutating func startSync(
        _ command: SyncCommand, for continuation: CheckedContinuation<SyncOutcome, Never>, attempts: LockedValue<SyncAttempts>,
        cancelReason: () -> String?, onProgress: @escaping @Sendable (SyncProgress) -> Void
    ) {
        _ = apply(.syncStarted(runID: command.runID))
        record.currentRunID = command.runID
        let started = session?.start(command, for: continuation, attempts: attempts, cancelReason: cancelReason, onProgress: onProgress, at: .now)
        if started != true {
            record.currentRunID = nil
            continuation.resume(returning: .failed("worker's input is closed"))
        }
    }

    /// Asks the ready worker to test its connection and waits up to `timeout` for the answer.
    func checkConnection(timeout: Duration) async -> ConnectionCheckOutcome {
        guard [.ready, .syncing].contains(lifecycle.state), session?.fatal == nil, let process else {
            return .unavailable("the worker is \(lifecycle.state.rawValue)\(lifecycle.lastError.map { ": \($0)" } ?? "")")
        }
        return await connectionChecks.check(on: process, timeout: timeout)
    }

    /// Asks the worker to stop syncing `runID`; false if it is not syncing that run.
    func cancel(_ runID: String, reason: String) -> Bool {
        guard record.currentRunID == runID, let process else { return false }
        logger.info("asking the worker to cancel its sync", metadata: ["sync.run_id": "\(runID)"])
        return process.send(.cancel(CancelRun(runID: runID, reason: reason)))
    }

    /// Reports the bad lines the throttle held back, once their second is over.
    mutating func flushBadLines(at now: ContinuousClock.Instant) {
        badLines.flush(pid: process?.pid, at: now)
    }

    /// Samples the running worker's CPU and memory from `/proc` and says why it must be killed now (silent,
    /// stuck or too big under `liveness`), logged; `nil` while it is healthy or none is running.
    mutating func unhealthyCause(liveness: LivenessPolicy, at now: ContinuousClock.Instant) -> String? {
        guard session != nil, [.starting, .ready, .syncing].contains(lifecycle.state) else { return nil }
        let previous = session?.sample
        session?.sampleResources(at: now)
        if let fresh = session?.sample, fresh != previous {
            reporter.metrics?.recordCPU(fresh, since: previous, tenant: tenant.id)
        }
        guard let session, let cause = session.unhealthyCause(syncing: lifecycle.state == .syncing, liveness: liveness, at: now) else {
            return nil
        }
        logger.error("worker unhealthy; killing and restarting it", metadata: ["worker.pid": "\(session.pid)", "worker.cause": "\(cause)"])
        return cause
    }

    /// A snapshot for status displays, completed with what `environment` knows of the tenant.
    func status(in environment: WorkerEnvironment) -> TenantStatus {
        var status = record.status(of: tenant, lifecycle: lifecycle, session: session, badLines: badLines.count)
        environment.complete(&status, of: tenant, workerRunsHere: process != nil)
        return status
    }
}
