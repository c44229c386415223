import CurlHTTP
import Dispatch
import Foundation
import IPC
import Logging
import Postgres
import Support
import Synchronization

/// The worker process's main loop: handshake, syncs on request, heartbeats, clean exit.
///
/// Reads ``SupervisorMessage`` lines from `input` on a reading thread and answers on `output`.
/// Syncs run one at a time on a dedicated queue (libpq and libcurl block); heartbeats come from a
/// timer whether or not a sync is running. When `input` reaches end of file (the supervisor is
/// gone) or a ``Shutdown`` arrives, the run in hand stops after its current page and ``run()``
/// returns; a run refused for the tenant's credentials ends the worker too, with status 78.
public final class WorkerRuntime: Sendable {
    /// This build's version, reported in ``Ready``.
    public static let version = "0.1.0"

    private let input: Int32
    private let writer: LineWriter
    private let makeLogger: @Sendable (SecretMasker) -> Logger
    private let codec = MessageCodec()
    /// Raised once the worker is stopping: the run in hand and any queued after it stop.
    private let cancellation = CancellationFlag()
    /// The run in hand with its own flag, the runs queued behind it, and `cancel`s for those.
    private let runs = Mutex(RunSlots())
    private let syncQueue = DispatchQueue(label: "tenantsync.worker.sync")
    private let heartbeatSequence = Atomic<Int>(0)
    private let connections: TenantConnectionCache
    private let loop: Mutex<Loop>
    /// Signalled once, when the worker is to end.
    private let ending = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - makeLogger: builds the worker's logger once the tenant's secrets are known.
    public init(input: Int32, writer: LineWriter, makeLogger: @escaping @Sendable (SecretMasker) -> Logger) {
        self.input = input
        self.writer = writer
        self.makeLogger = makeLogger
        self.connections = TenantConnectionCache(queue: syncQueue)
        self.loop = Mutex(Loop(logger: makeLogger(SecretMasker(secrets: []))))
    }

    /// Runs until shutdown, end of input or a permanent failure; returns the process exit status.
    ///
    /// stdin is read on a thread of its own, so that a run can end the worker too: after a run the
    /// upstream refused the tenant's credentials for, the worker sends `fatal`
    /// (`credentials_rejected`) and the run's `result`, then exits with status 78.
    public func run() -> Int32 {
        let reader = Thread { [self] in
            LineReader(fileDescriptor: input, name: "worker-stdin").runBlocking { event in
                handle(event)
                let (exitCode, ended) = loop.withLock { ($0.exitCode, $0.ended) }
                return exitCode == WorkerExitCode.success && !cancellation.isCancelled && !ended
            }
            end()
        }
        reader.name = "worker-stdin"
        reader.start()
        ending.wait()
        stopRuns()
        // Let the run in hand finish its page and report before exiting.
        syncQueue.sync {}
        return loop.withLock { state in
            state.heartbeat?.cancel()
            return state.exitCode
        }
    }

    /// Ends the worker: ``run()`` returns once the run in hand has reported. The first failing status wins.
    private func end(exitCode: Int32 = WorkerExitCode.success) {
        let first = loop.withLock { state -> Bool in
            if state.exitCode == WorkerExitCode.success { state.exitCode = exitCode }
            defer { state.ended = true }
            return !state.ended
        }
        if first { ending.signal() }
    }

    /// Handles one event from stdin, on the reading thread.
    private func handle(_ event: LineReader.Event) {
        let (session, logger) = loop.withLock { ($0.session, $0.logger) }
        switch event {
        case .line(let line):
            let message: SupervisorMessage
            do throws(IPCError) {
                message = try codec.decodeSupervisorMessage(line)
            } catch {
                if session == nil {
                    let code = fail(.badHandshake, "first line must be a hello message: \(error.message)")
                    loop.withLock { $0.exitCode = code }
                } else {
                    logger.error("ignored a bad line from the supervisor", metadata: ["error": "\(error)"])
                }
                return
            }
            switch message {
            case .hello(let hello):
                guard session == nil else {
                    logger.warning("ignored a second hello")
                    return
                }
                switch start(hello) {
                case .success(let started):
                    let heartbeat = startHeartbeat(every: hello.tenant.heartbeatInterval)
                    loop.withLock { state in
                        state.session = started
                        state.logger = started.logger
                        state.heartbeat = heartbeat
                    }
                case .failure(let code):
                    loop.withLock { $0.exitCode = code.value }
                }
            case .sync(let command):
                guard let session else {
                    let code = fail(.badHandshake, "sync received before hello")
                    loop.withLock { $0.exitCode = code }
                    return
                }
                runs.withLock { _ = $0.queued.insert(command.runID) }
                enqueue(command, session: session)
            case .shutdown(let shutdown):
                logger.info("shutting down", metadata: ["reason": "\(shutdown.reason)"])
                stopRuns()
            case .cancel(let cancel):
                let flag = runs.withLock { runs -> CancellationFlag? in
                    if let current = runs.current, current.runID == cancel.runID { return current.flag }
                    if runs.queued.contains(cancel.runID) { runs.cancelledBeforeStart[cancel.runID] = cancel.reason }
                    return nil
                }
                logger.info("run cancel requested", metadata: [
                    "sync.run_id": "\(cancel.runID)", "reason": "\(cancel.reason)", "sync.in_hand": "\(flag != nil)",
                ])
                flag?.cancel(reason: cancel.reason)
            }
        case .oversized(let length):
            logger.error("ignored an oversized line from the supervisor", metadata: ["line.bytes": "\(length)"])
        case .endOfFile:
            if session != nil { logger.info("input closed: supervisor gone, exiting") }
            stopRuns()
        }
    }

    /// What a started worker holds for its tenant.
    private struct Session: Sendable {
        var tenant: TenantSpec
        var connector: any Connector
        var logger: Logger
        var masker: SecretMasker
    }

    /// The stdin loop's state: written on the reading thread, read by the sync queue and at exit.
    private struct Loop {
        var session: Session?
        var heartbeat: HeartbeatTimer?
        var exitCode = WorkerExitCode.success
        var logger: Logger
        /// Set once the worker is ending; later input is ignored.
        var ended = false
    }

    private func start(_ hello: Hello) -> Result<Session, Int32Box> {
        guard hello.protocolVersion == ProtocolVersion.current else {
            return .failure(Int32Box(fail(.protocolMismatch, "supervisor speaks protocol \(hello.protocolVersion), this worker speaks \(ProtocolVersion.current)")))
        }
        let tenant = hello.tenant
        let masker = SecretMasker(
            secrets: tenant.secretSettings.compactMap { tenant.settings[$0] } + [PostgresConnectionString.password(in: tenant.databaseURL)].compactMap { $0 }
        )
        var logger = makeLogger(masker)
        logger[metadataKey: "tenant.id"] = "\(tenant.id)"
        let connector: any Connector
        do {
            connector = try ConnectorRegistry.connector(for: tenant)
        } catch {
            return .failure(Int32Box(fail(.badConfiguration, masker.mask(error.message))))
        }
        let streams: [String]
        do {
            streams = try StreamPlan(streams: connector.streams).ordered.map(\.name)
        } catch {
            return .failure(Int32Box(fail(.badConfiguration, error.message)))
        }
        writer.send(WorkerMessage.ready(Ready(pid: getpid(), version: Self.version, streams: streams)))
        logger.info("worker ready", metadata: ["worker.streams": "\(streams.joined(separator: ","))"])
        return .success(Session(tenant: tenant, connector: connector, logger: logger, masker: masker))
    }

    /// Stops the run in hand (after its batch) and every run queued behind it: the worker is stopping.
    private func stopRuns() {
        cancellation.cancel()
        runs.withLock { $0.current?.flag }?.cancel()
    }

    private func enqueue(_ command: SyncCommand, session: Session) {
        syncQueue.async { [self] in
            let flag = CancellationFlag()
            let early = runs.withLock { runs -> String? in
                runs.current = (command.runID, flag)
                runs.queued.remove(command.runID)
                return runs.cancelledBeforeStart.removeValue(forKey: command.runID)
            }
            defer { runs.withLock { $0.current = nil } }
            if let early { flag.cancel(reason: early) }
            if cancellation.isCancelled { flag.cancel(reason: cancellation.reason ?? "worker shutting down") }
            let watch = CredentialWatch(session.connector)
            let result = runSync(command, session: session, connector: watch, cancellation: flag)
            guard result.status == .failed, let rejected = watch.rejectedBecause else {
                writer.send(WorkerMessage.result(result))
                return
            }
            // Restarting cannot fix refused credentials: say so, report the run, and exit with 78, so the
            // tenant stays errored until an operator has fixed them and starts it.
            let reason = session.masker.mask(rejected)
            session.logger.error("the upstream refused the tenant's credentials; exiting until the tenant is started again", metadata: [
                "sync.run_id": "\(command.runID)", "error": "\(reason)",
            ])
            writer.send(WorkerMessage.fatal(Fatal(code: .credentialsRejected, message: reason)))
            writer.send(WorkerMessage.result(result))
            stopRuns()
            end(exitCode: WorkerExitCode.permanentFailure)
        }
    }

    private func runSync(_ command: SyncCommand, session: Session, connector: any Connector, cancellation: CancellationFlag) -> RunResult {
        var logger = session.logger
        logger[metadataKey: "sync.run_id"] = "\(command.runID)"
        let database: PostgresConnection
        do {
            database = try connections.connection(url: session.tenant.databaseURL, tenantID: session.tenant.id)
        } catch {
            logger.error("database unavailable", metadata: ["error": "\(error)"])
            return RunResult(runID: command.runID, status: .failed, streams: [], error: "database unavailable: \(error)", durationMilliseconds: 0)
        }
        let runner = SyncRunner(connector: connector)
        let steps = runner.connector.streams.count
        let order = (try? StreamPlan(streams: session.connector.streams).ordered.map(\.name)) ?? []
        let context = SyncContext(
            tenantID: session.tenant.id,
            command: command,
            database: database,
            http: CurlHTTPClient(),
            logger: logger,
            cancellation: cancellation
        ) { [writer] stream, page, pages, counts in
            let step = (order.firstIndex(of: stream) ?? 0) + 1
            writer.send(WorkerMessage.progress(SyncProgress(runID: command.runID, stream: stream, step: step, steps: steps, page: page, pages: pages, counts: counts)))
        }
        logger.info("sync started", metadata: ["sync.full": "\(command.full)"])
        let result = runner.run(context: context)
        connections.finished(database, succeeded: result.status == .succeeded)
        logger.info("sync finished", metadata: ["sync.status": "\(result.status.rawValue)", "sync.duration_ms": "\(result.durationMilliseconds)"])
        return result
    }

    private func startHeartbeat(every seconds: Double) -> HeartbeatTimer {
        HeartbeatTimer(every: seconds) { [self] in
            let next = heartbeatSequence.add(1, ordering: .relaxed).newValue
            writer.send(WorkerMessage.heartbeat(Heartbeat(sequence: next, runID: runs.withLock { $0.current?.runID })))
        }
    }

    /// Sends ``Fatal`` and returns the exit status that goes with it.
    private func fail(_ code: Fatal.Code, _ message: String) -> Int32 {
        writer.send(WorkerMessage.fatal(Fatal(code: code, message: message)))
        return WorkerExitCode.permanentFailure
    }
}

/// An exit status carried as a `Result` failure.
struct Int32Box: Error {
    var value: Int32
    init(_ value: Int32) { self.value = value }
}
