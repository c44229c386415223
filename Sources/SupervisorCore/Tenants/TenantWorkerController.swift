import Foundation
import IPC
import Logging

/// Owns one tenant's worker process: starts it, restarts it, feeds it syncs, stops it.
///
/// ``supervise()`` is the controller's life: it runs inside the fleet's task group until the
/// supervisor shuts down, spawning the worker, consuming its events, and restarting it with
/// backoff when it exits unexpectedly. Other calls change what the loop wants.
actor TenantWorkerController {
    let tenant: TenantConfiguration
    private let environment: WorkerEnvironment
    private var logger: Logger

    private(set) var state: WorkerState = .stopped
    private var wanted = true
    private var shuttingDown = false
    private var process: WorkerProcess?
    private var readySince: ContinuousClock.Instant?
    private var streams: [String] = []
    private var restarts = 0
    private var consecutiveFailures = 0
    private var lastExit: WorkerExit?
    private var lastError: String?
    private var badLines = 0
    private var currentRunID: String?
    private var latestProgress: SyncProgress?

    private var pendingRun: (id: String, continuation: CheckedContinuation<RunResult, Never>, onProgress: @Sendable (SyncProgress) -> Void)?
    private var stateWaiters: [CheckedContinuation<Void, Never>] = []

    init(tenant: TenantConfiguration, environment: WorkerEnvironment, logger: Logger) {
        self.tenant = tenant
        self.environment = environment
        var logger = logger
        logger[metadataKey: "tenant.id"] = "\(tenant.id)"
        self.logger = logger
    }

    // MARK: Life

    /// Keeps a worker running while one is wanted; returns once ``shutdown()`` has stopped it.
    func supervise() async {
        while !shuttingDown {
            guard wanted, state != .errored else {
                await waitForChange()
                continue
            }
            await runOnce()
            guard !shuttingDown, wanted, state != .errored else { continue }
            let delay = backoffDelay()
            transition(to: .backoff, because: "restarting in \(delay.formatted())")
            try? await Task.sleep(for: delay)
        }
        transition(to: .stopped, because: "supervisor shutting down")
    }

    /// Spawns one worker and follows it until it exits.
    private func runOnce() async {
        transition(to: .starting, because: restarts == 0 ? "starting" : "restart \(restarts)")
        let worker: WorkerProcess
        do {
            worker = try await WorkerProcess.spawn(executable: environment.executable, environment: workerEnvironment())
        } catch {
            lastError = "cannot start worker \(environment.executable): \(error)"
            logger.error("worker spawn failed", metadata: ["error": "\(error)"])
            consecutiveFailures += 1
            restarts += 1
            return
        }
        process = worker
        logger.info("worker spawned", metadata: ["worker.pid": "\(worker.pid)"])
        let spec = TenantSpec(
            id: tenant.id,
            connector: tenant.connector,
            databaseURL: environment.databaseURL,
            settings: tenant.settings,
            secretSettings: tenant.effectiveSecretSettings,
            heartbeatInterval: environment.heartbeatInterval
        )
        worker.send(.hello(Hello(tenantID: tenant.id, tenant: spec)))

        for await event in worker.events {
            handle(event, from: worker)
        }
    }

    private func handle(_ event: WorkerEvent, from worker: WorkerProcess) {
        switch event {
        case .message(let message):
            handle(message)
        case .badLine(let error):
            badLines += 1
            logger.error("bad line from worker", metadata: ["worker.pid": "\(worker.pid)", "error": "\(error)"])
        case .stderr(let line):
            logger.info("\(line)", metadata: ["worker.pid": "\(worker.pid)", "log.source": "stderr"])
        case .exited(let exit):
            handleExit(exit, of: worker)
        }
    }

    private func handle(_ message: WorkerMessage) {
        switch message {
        case .ready(let ready):
            streams = ready.streams
            readySince = .now
            consecutiveFailures = 0
            transition(to: .ready, because: "worker \(ready.pid) ready (version \(ready.version))")
        case .fatal(let fatal):
            lastError = "\(fatal.code.rawValue): \(fatal.message)"
            logger.error("worker reported a fatal error", metadata: ["error.code": "\(fatal.code.rawValue)", "error": "\(fatal.message)"])
        case .progress(let progress):
            guard let pendingRun, pendingRun.id == progress.runID else { return }
            latestProgress = progress
            pendingRun.onProgress(progress)
        case .log(let record):
            var metadata: Logger.Metadata = record.fields.mapValues { .string($0) }
            if let runID = record.runID { metadata["sync.run_id"] = "\(runID)" }
            if let stream = record.stream { metadata["sync.stream"] = "\(stream)" }
            logger.log(level: Logger.Level(rawValue: record.level) ?? .info, "\(record.message)", metadata: metadata)
        case .result(let result):
            guard let run = pendingRun, run.id == result.runID else {
                logger.warning("result for an unknown run ignored", metadata: ["sync.run_id": "\(result.runID)"])
                return
            }
            pendingRun = nil
            currentRunID = nil
            latestProgress = nil
            if state == .syncing { transition(to: .ready, because: "run \(result.runID) \(result.status.rawValue)") }
            run.continuation.resume(returning: result)
        case .heartbeat:
            break
        }
    }

    private func handleExit(_ exit: WorkerExit, of worker: WorkerProcess) {
        process = nil
        readySince = nil
        lastExit = exit
        if let run = pendingRun {
            pendingRun = nil
            currentRunID = nil
            latestProgress = nil
            let message = "worker \(worker.pid) \(exit) during the run"
            run.continuation.resume(returning: RunResult(runID: run.id, status: .failed, streams: [], error: message, durationMilliseconds: 0))
        }
        if shuttingDown || !wanted {
            logger.info("worker exited", metadata: ["worker.pid": "\(worker.pid)", "worker.exit": "\(exit)"])
            transition(to: .stopped, because: "worker \(exit)")
            return
        }
        restarts += 1
        consecutiveFailures += 1
        if exit.isPermanentFailure {
            transition(to: .errored, because: "worker \(exit) (permanent failure: \(lastError ?? "see log")); not restarting")
        } else {
            logger.warning("worker exited unexpectedly", metadata: ["worker.pid": "\(worker.pid)", "worker.exit": "\(exit)"])
        }
    }

    private func backoffDelay() -> Duration {
        let exponent = min(max(consecutiveFailures - 1, 0), 16)
        let milliseconds = min(100 * (1 << exponent), 30_000)
        return .milliseconds(Int.random(in: (milliseconds / 2)...milliseconds))
    }

    private func workerEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        // Workers get their configuration over the pipe, never from the environment.
        environment.removeValue(forKey: "TENANTSYNC_DATABASE_URL")
        environment.merge(self.environment.extraEnvironment) { _, new in new }
        return environment
    }

    private func transition(to newState: WorkerState, because cause: String) {
        guard newState != state else { return }
        logger.info("worker state \(state.rawValue) → \(newState.rawValue)", metadata: ["worker.cause": "\(cause)"])
        if newState == .errored || newState == .backoff { lastError = lastError ?? cause }
        state = newState
        let waiters = stateWaiters
        stateWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    private func waitForChange() async {
        await withCheckedContinuation { stateWaiters.append($0) }
    }

    // MARK: Syncs

    /// Runs one sync on this tenant's worker and returns its result; never throws.
    ///
    /// Waits up to `readyTimeout` for the worker to become ready. If the worker exits during the
    /// run, the result is a failure that says so.
    func sync(_ command: SyncCommand, readyTimeout: Duration = .seconds(30), onProgress: @escaping @Sendable (SyncProgress) -> Void) async -> RunResult {
        let deadline = ContinuousClock.now + readyTimeout
        while state != .ready {
            if state == .errored || !wanted || shuttingDown {
                return failure(command.runID, "worker is \(state.rawValue)\(lastError.map { ": \($0)" } ?? "")")
            }
            if ContinuousClock.now >= deadline {
                return failure(command.runID, "worker did not become ready within \(readyTimeout.formatted()) (state \(state.rawValue))")
            }
            await waitForChange(until: deadline)
        }
        guard let process else { return failure(command.runID, "worker is gone") }
        transition(to: .syncing, because: "run \(command.runID)")
        currentRunID = command.runID
        return await withCheckedContinuation { continuation in
            pendingRun = (command.runID, continuation, onProgress)
            if !process.send(.sync(command)) {
                pendingRun = nil
                currentRunID = nil
                continuation.resume(returning: failure(command.runID, "worker's input is closed"))
            }
        }
    }

    /// Waits for a state change or the deadline, whichever comes first.
    private func waitForChange(until deadline: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForChange() }
            group.addTask {
                try? await Task.sleep(until: deadline)
                await self.wakeWaiters()
            }
            await group.next()
            group.cancelAll()
            await self.wakeWaiters()
        }
    }

    private func wakeWaiters() {
        let waiters = stateWaiters
        stateWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    private func failure(_ runID: String, _ message: String) -> RunResult {
        RunResult(runID: runID, status: .failed, streams: [], error: message, durationMilliseconds: 0)
    }

    // MARK: Control

    /// Stops the worker gracefully and keeps it stopped; used at supervisor shutdown.
    func shutdown() async {
        shuttingDown = true
        await stopProcess()
        wakeWaiters()
    }

    /// Sends `shutdown`, waits up to the grace period, then SIGKILLs the process group.
    private func stopProcess() async {
        guard let worker = process else { return }
        transition(to: .stopping, because: "stop requested")
        worker.send(.shutdown(Shutdown(reason: "supervisor stopping the worker")))
        worker.closeInput()
        let grace = Duration.milliseconds(Int(environment.shutdownGracePeriod * 1000))
        let deadline = ContinuousClock.now + grace
        while process != nil, ContinuousClock.now < deadline {
            await waitForChange(until: deadline)
        }
        if process != nil {
            logger.warning("worker did not exit within the grace period; killing it", metadata: ["worker.pid": "\(worker.pid)"])
            worker.signal(SIGKILL)
        }
    }

    /// A snapshot for status displays.
    func status() -> TenantStatus {
        TenantStatus(
            id: tenant.id,
            connector: tenant.connector,
            enabled: tenant.enabled,
            state: state,
            pid: process?.pid,
            restarts: restarts,
            streams: streams,
            uptimeSeconds: readySince.map { Self.seconds(ContinuousClock.now - $0) },
            currentRunID: currentRunID,
            progress: latestProgress,
            lastExit: lastExit?.description,
            lastError: lastError,
            badLines: badLines
        )
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
