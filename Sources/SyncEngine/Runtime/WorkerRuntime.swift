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
///
/// What each line means in the state the worker is in is decided by ``WorkerStateMachine``; this
/// class reads, writes, runs the syncs and carries out the machine's actions.
public final class WorkerRuntime: Sendable {
    /// This build's version, reported in ``Ready``.
    public static let version = "0.1.0"

    private let input: Int32
    private let writer: LineWriter
    private let makeLogger: @Sendable (SecretMasker) -> Logger
    /// The logger until the tenant's secrets are known.
    private let startupLogger: Logger
    private let codec = MessageCodec()
    /// What the supervisor asked for and what the sync queue is doing; every decision is taken here.
    private let machine = Mutex(WorkerStateMachine<Session>())
    private let syncQueue = DispatchQueue(label: "tenantsync.worker.sync")
    /// Connection tests run here, beside the sync in hand: they block in libcurl too.
    private let checkQueue = DispatchQueue(label: "tenantsync.worker.check")
    private let heartbeat = Mutex<HeartbeatTimer?>(nil)
    private let heartbeatSequence = Atomic<Int>(0)
    private let connections: TenantConnectionCache
    /// Set, and ``ending`` signalled, once, when the worker is to end.
    private let ended = Atomic<Bool>(false)
    private let ending = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - makeLogger: builds the worker's logger once the tenant's secrets are known.
    public init(input: Int32, writer: LineWriter, makeLogger: @escaping @Sendable (SecretMasker) -> Logger) {
        self.input = input
        self.writer = writer
        self.makeLogger = makeLogger
        self.startupLogger = makeLogger(SecretMasker(secrets: []))
        self.connections = TenantConnectionCache(queue: syncQueue)
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
                return machine.withLock { $0.isReading }
            }
            end()
        }
        reader.name = "worker-stdin"
        reader.start()
        ending.wait()
        // Let the run in hand finish its page and report, and the queued ones report as cancelled.
        syncQueue.sync {}
        heartbeat.withLock { $0?.cancel() }
        return machine.withLock { $0.exitCode }
    }

    /// Lets ``run()`` return once the runs have reported.
    private func end() {
        if !ended.exchange(true, ordering: .acquiringAndReleasing) { ending.signal() }
    }

    /// Turns one event from stdin into the machine's event, on the reading thread.
    private func handle(_ event: LineReader.Event) {
        switch event {
        case .line(let line):
            do throws(IPCError) {
                act(on: .message(try codec.decodeSupervisorMessage(line)))
            } catch {
                act(on: .badLine(error))
            }
        case .oversized(let length):
            act(on: .oversizedLine(bytes: length))
        case .endOfFile:
            act(on: .endOfInput)
        }
    }

    /// Feeds `event` to the machine and carries out what it says.
    private func act(on event: WorkerStateMachine<Session>.Event) {
        let (action, session) = machine.withLock { ($0.event(event), $0.session) }
        let logger = session?.logger ?? startupLogger
        switch action {
        case .startSession(let hello):
            switch start(hello) {
            case .success(let started): act(on: .sessionStarted(started))
            case .failure: act(on: .sessionFailed)
            }
        case .startHeartbeat(let seconds):
            let timer = startHeartbeat(every: seconds)
            heartbeat.withLock { $0 = timer }
        case .failHandshake(let code, let message):
            writer.send(WorkerMessage.fatal(Fatal(code: code, message: message)))
        case .enqueue(let command, let session):
            enqueue(command, session: session)
        case .cancelRunInHand(let runID, let flag, let reason):
            logger.info("run cancel requested", metadata: ["sync.run_id": "\(runID)", "reason": "\(reason)", "sync.in_hand": "true"])
            flag.cancel(reason: reason)
        case .cancelQueuedRun(let runID, let reason), .cancelUnknownRun(let runID, let reason):
            logger.info("run cancel requested", metadata: ["sync.run_id": "\(runID)", "reason": "\(reason)", "sync.in_hand": "false"])
        case .checkConnection(let check, let session):
            checkQueue.async { [writer] in
                writer.send(WorkerMessage.checkResult(ConnectionTest.run(check, connector: session.connector, masker: session.masker, logger: session.logger)))
            }
        case .refuseCheck(let check, let reason):
            writer.send(WorkerMessage.checkResult(ConnectionCheckResult(checkID: check.checkID, passed: false, message: reason)))
        case .startRun, .proceed:
            break
        case .stop(let cause, let runInHand):
            switch cause {
            case .shutdown(let reason): logger.info("shutting down", metadata: ["reason": "\(reason)"])
            case .endOfInput: if session != nil { logger.info("input closed: supervisor gone, exiting") }
            case .credentialsRejected: break
            }
            runInHand?.cancel()
            end()
        case .reject(let rejection):
            switch rejection {
            case .secondHello:
                logger.warning("ignored a second hello")
            case .badLine(let error):
                logger.error("ignored a bad line from the supervisor", metadata: ["error": "\(error)"])
            case .oversizedLine(let bytes):
                logger.error("ignored an oversized line from the supervisor", metadata: ["line.bytes": "\(bytes)"])
            case .unexpected(let event, let state):
                logger.error("ignored \(event): it has no place while the worker is \(state)")
            }
        }
    }

    /// What a started worker holds for its tenant.
    private struct Session: Sendable {
        var tenant: TenantSpec
        var connector: any Connector
        var logger: Logger
        var masker: SecretMasker
    }

    /// Builds the tenant's session and sends `ready`, or sends `fatal` and fails.
    private func start(_ hello: Hello) -> Result<Session, SessionFailed> {
        let tenant = hello.tenant
        let masker = SecretMasker(
            secrets: tenant.secretSettings.compactMap { tenant.settings[$0] } + [PostgresConnectionString.password(in: tenant.databaseURL)].compactMap { $0 }
        )
        var logger = makeLogger(masker)
        logger[metadataKey: "tenant.id"] = "\(tenant.id)"
        let connector: any Connector
        let streams: [String]
        do {
            connector = try ConnectorRegistry.connector(for: tenant)
        } catch {
            writer.send(WorkerMessage.fatal(Fatal(code: .badConfiguration, message: masker.mask(error.message))))
            return .failure(SessionFailed())
        }
        do {
            streams = try StreamPlan(streams: connector.streams).ordered.map(\.name)
        } catch {
            writer.send(WorkerMessage.fatal(Fatal(code: .badConfiguration, message: error.message)))
            return .failure(SessionFailed())
        }
        writer.send(WorkerMessage.ready(Ready(pid: getpid(), version: Self.version, streams: streams)))
        logger.info("worker ready", metadata: ["worker.streams": "\(streams.joined(separator: ","))"])
        return .success(Session(tenant: tenant, connector: connector, logger: logger, masker: masker))
    }

    /// The `fatal` is sent: the session could not start.
    private struct SessionFailed: Error {}

    private func enqueue(_ command: SyncCommand, session: Session) {
        syncQueue.async { [self] in
            let flag = CancellationFlag()
            let start = machine.withLock { $0.event(.runStarting(runID: command.runID, flag: flag)) }
            guard case .startRun(_, let cancelledBecause) = start else {
                session.logger.error("run not started: the worker did not expect it", metadata: ["sync.run_id": "\(command.runID)", "action": "\(start)"])
                return
            }
            defer { act(on: .runFinished(runID: command.runID)) }
            if let cancelledBecause { flag.cancel(reason: cancelledBecause) }
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
            act(on: .credentialsRejected)
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
            return RunResult(
                runID: command.runID, status: .failed, streams: [], error: "database unavailable: \(error)", errorKind: .database, durationMilliseconds: 0
            )
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
            cancellation: cancellation,
            connect: { [tenant = session.tenant] in
                let connection = try PostgresConnection(url: tenant.databaseURL)
                try TenantSession.bind(connection, tenantID: tenant.id)
                return connection
            }
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
            writer.send(WorkerMessage.heartbeat(Heartbeat(sequence: next, runID: machine.withLock { $0.runInHand })))
        }
    }
}
