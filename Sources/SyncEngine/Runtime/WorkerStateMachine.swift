import IPC

/// The worker's side of the protocol, without I/O: the handshake, the syncs asked for, cancels,
/// shutdown, end of input, and the runs the sync queue starts and finishes.
///
/// ``WorkerRuntime`` feeds it every line read from stdin and every run its sync queue takes up, and
/// carries out the ``Action`` each event returns. An event that has no place in the current state
/// comes back as ``Action/reject(_:)`` for the runtime to log, never as a silent no-op. Generic over
/// the tenant's session (connector, logger, masker), which only the runtime knows how to build.
struct WorkerStateMachine<Session: Sendable>: Sendable {
    enum State: Sendable {
        /// Nothing read yet: the first line must be a `hello`.
        case awaitingHello
        /// `hello` accepted; the runtime is building the tenant's session and reports how that went.
        case starting(heartbeatInterval: Double)
        /// Serving the tenant: syncs run one at a time, in the order asked.
        case ready(Session, Runs)
        /// Winding down after `shutdown`, end of input or refused credentials: the run in hand stops
        /// after its batch, queued runs start already cancelled, then the worker exits with `exitCode`.
        /// No session when the worker stops before its handshake completed.
        case stopping(Session?, Runs, exitCode: Int32)
        /// The handshake failed and `fatal` has been sent: the worker exits with the permanent-failure status.
        case failed
    }

    /// The run the sync queue is working on, with its own cancellation flag.
    struct RunInHand: Sendable {
        var runID: String
        var flag: CancellationFlag
    }

    /// The runs of a started worker.
    struct Runs: Sendable {
        var inHand: RunInHand?
        /// Asked for and not started yet, in order.
        var queued: [String] = []
        /// Why each queued run was cancelled before it started.
        var cancelledBeforeStart: [String: String] = [:]
    }

    enum Event: Sendable {
        /// A line from the supervisor.
        case message(SupervisorMessage)
        /// A line that is not a message.
        case badLine(IPCError)
        /// A line over the length cap, dropped unread.
        case oversizedLine(bytes: Int)
        /// stdin closed: the supervisor is gone.
        case endOfInput
        /// The runtime built the tenant's session and sent `ready`.
        case sessionStarted(Session)
        /// The runtime could not build the session and has sent the `fatal` saying why.
        case sessionFailed
        /// The sync queue takes up `runID`; `flag` stops it early.
        case runStarting(runID: String, flag: CancellationFlag)
        /// The sync queue has sent `runID`'s result.
        case runFinished(runID: String)
        /// The upstream refused the tenant's credentials during a run; `fatal` and the result are sent.
        case credentialsRejected
    }

    /// Why the worker is stopping.
    enum StopCause: Sendable, Equatable {
        case shutdown(reason: String)
        case endOfInput
        case credentialsRejected
    }

    /// What the runtime must do for an event.
    enum Action: Sendable {
        /// Check the tenant, build its connector and send `ready`, then report ``Event/sessionStarted(_:)``
        /// or ``Event/sessionFailed``.
        case startSession(Hello)
        /// Start sending heartbeats: the worker is ready.
        case startHeartbeat(every: Double)
        /// Send `fatal` with this code and message; the worker exits with the permanent-failure status.
        case failHandshake(Fatal.Code, String)
        /// Queue a sync of the session's tenant.
        case enqueue(SyncCommand, Session)
        /// Raise the run in hand's flag: it stops after its batch.
        case cancelRunInHand(runID: String, flag: CancellationFlag, reason: String)
        /// Nothing to stop yet: the queued run starts cancelled.
        case cancelQueuedRun(runID: String, reason: String)
        /// The run is neither in hand nor queued (finished already, or never asked for): nothing to do.
        case cancelUnknownRun(runID: String, reason: String)
        /// Run the sync, with its flag raised at once for `cancelledBecause` if set.
        case startRun(runID: String, cancelledBecause: String?)
        /// Raise the in-hand run's flag (if any) and end the worker once the queued runs have reported.
        case stop(StopCause, runInHand: CancellationFlag?)
        /// Test the session's connection to the upstream, beside any sync, and send the result.
        case checkConnection(CheckConnection, Session)
        /// Answer the check as failed for `reason`, without testing.
        case refuseCheck(CheckConnection, reason: String)
        /// Nothing to do.
        case proceed
        /// The event has no place in the state: log it.
        case reject(Rejection)
    }

    /// An event the machine refused, for the log.
    enum Rejection: Sendable {
        /// A `hello` after the session started.
        case secondHello
        /// A line that is not a message, after the handshake.
        case badLine(IPCError)
        /// A line over the cap.
        case oversizedLine(bytes: Int)
        /// Anything else out of place, described.
        case unexpected(event: String, state: String)
    }

    private(set) var state: State = .awaitingHello

    /// Whether the runtime should go on reading stdin.
    var isReading: Bool {
        switch state {
        case .awaitingHello, .starting, .ready: true
        case .stopping, .failed: false
        }
    }

    /// The status the worker exits with, as things stand.
    var exitCode: Int32 {
        switch state {
        case .awaitingHello, .starting, .ready: WorkerExitCode.success
        case .stopping(_, _, let exitCode): exitCode
        case .failed: WorkerExitCode.permanentFailure
        }
    }

    /// The tenant's session, once started.
    var session: Session? {
        switch state {
        case .ready(let session, _): session
        case .stopping(let session, _, _): session
        case .awaitingHello, .starting, .failed: nil
        }
    }

    /// The run the sync queue is working on, for heartbeats.
    var runInHand: String? {
        switch state {
        case .ready(_, let runs), .stopping(_, let runs, _): runs.inHand?.runID
        case .awaitingHello, .starting, .failed: nil
        }
    }

    mutating func event(_ event: Event) -> Action {
        switch (state, event) {
        case (.awaitingHello, .message(.hello(let hello))):
            guard hello.protocolVersion == ProtocolVersion.current else {
                state = .failed
                return .failHandshake(
                    .protocolMismatch,
                    "supervisor speaks protocol \(hello.protocolVersion), this worker speaks \(ProtocolVersion.current)"
                )
            }
            state = .starting(heartbeatInterval: hello.tenant.heartbeatInterval)
            return .startSession(hello)
        case (.awaitingHello, .message(.sync)):
            state = .failed
            return .failHandshake(.badHandshake, "sync received before hello")
        case (.awaitingHello, .badLine(let error)):
            state = .failed
            return .failHandshake(.badHandshake, "first line must be a hello message: \(error.message)")
        case (.awaitingHello, .message(.shutdown(let shutdown))):
            state = .stopping(nil, Runs(), exitCode: WorkerExitCode.success)
            return .stop(.shutdown(reason: shutdown.reason), runInHand: nil)
        case (.awaitingHello, .endOfInput):
            state = .stopping(nil, Runs(), exitCode: WorkerExitCode.success)
            return .stop(.endOfInput, runInHand: nil)

        case (.starting(let interval), .sessionStarted(let session)):
            state = .ready(session, Runs())
            return .startHeartbeat(every: interval)
        case (.starting, .sessionFailed):
            state = .failed
            return .proceed

        case (.ready, .message(.hello)), (.stopping, .message(.hello)):
            return .reject(.secondHello)
        case (.ready(let session, var runs), .message(.sync(let command))):
            runs.queued.append(command.runID)
            state = .ready(session, runs)
            return .enqueue(command, session)
        case (.stopping(.some(let session), var runs, let exitCode), .message(.sync(let command))):
            // Queued all the same, so that it starts cancelled and its result says so.
            runs.queued.append(command.runID)
            state = .stopping(session, runs, exitCode: exitCode)
            return .enqueue(command, session)
        case (.ready(let session, let runs), .message(.cancel(let cancel))):
            var runs = runs
            let action = Self.cancel(cancel, in: &runs)
            state = .ready(session, runs)
            return action
        case (.stopping(let session, let runs, let exitCode), .message(.cancel(let cancel))):
            var runs = runs
            let action = Self.cancel(cancel, in: &runs)
            state = .stopping(session, runs, exitCode: exitCode)
            return action
        case (.ready(let session, let runs), .message(.shutdown(let shutdown))):
            state = .stopping(session, runs, exitCode: WorkerExitCode.success)
            return .stop(.shutdown(reason: shutdown.reason), runInHand: runs.inHand?.flag)
        case (.ready(let session, let runs), .endOfInput):
            state = .stopping(session, runs, exitCode: WorkerExitCode.success)
            return .stop(.endOfInput, runInHand: runs.inHand?.flag)
        case (.ready(let session, let runs), .credentialsRejected):
            state = .stopping(session, runs, exitCode: WorkerExitCode.permanentFailure)
            return .stop(.credentialsRejected, runInHand: runs.inHand?.flag)
        case (.stopping(_, let runs, _), .message(.shutdown(let shutdown))):
            return .stop(.shutdown(reason: shutdown.reason), runInHand: runs.inHand?.flag)
        case (.stopping(_, let runs, _), .endOfInput):
            return .stop(.endOfInput, runInHand: runs.inHand?.flag)
        case (.stopping(let session, let runs, let exitCode), .credentialsRejected):
            // The first failing status wins: a shutdown in progress now ends with 78.
            let code = exitCode == WorkerExitCode.success ? WorkerExitCode.permanentFailure : exitCode
            state = .stopping(session, runs, exitCode: code)
            return .stop(.credentialsRejected, runInHand: runs.inHand?.flag)
        case (.ready(let session, _), .message(.check(let check))):
            return .checkConnection(check, session)
        case (.stopping, .message(.check(let check))):
            return .refuseCheck(check, reason: "the worker is stopping")
        case (.ready, .badLine(let error)), (.stopping, .badLine(let error)):
            return .reject(.badLine(error))
        case (_, .oversizedLine(let bytes)):
            return .reject(.oversizedLine(bytes: bytes))

        case (.ready(let session, var runs), .runStarting(let runID, let flag)):
            guard runs.inHand == nil, let index = runs.queued.firstIndex(of: runID) else { break }
            runs.queued.remove(at: index)
            runs.inHand = RunInHand(runID: runID, flag: flag)
            let early = runs.cancelledBeforeStart.removeValue(forKey: runID)
            state = .ready(session, runs)
            return .startRun(runID: runID, cancelledBecause: early)
        case (.stopping(let session, var runs, let exitCode), .runStarting(let runID, let flag)):
            guard runs.inHand == nil, let index = runs.queued.firstIndex(of: runID) else { break }
            runs.queued.remove(at: index)
            runs.inHand = RunInHand(runID: runID, flag: flag)
            let early = runs.cancelledBeforeStart.removeValue(forKey: runID)
            state = .stopping(session, runs, exitCode: exitCode)
            return .startRun(runID: runID, cancelledBecause: early ?? "worker shutting down")
        case (.ready(let session, var runs), .runFinished(let runID)):
            guard runs.inHand?.runID == runID else { break }
            runs.inHand = nil
            state = .ready(session, runs)
            return .proceed
        case (.stopping(let session, var runs, let exitCode), .runFinished(let runID)):
            guard runs.inHand?.runID == runID else { break }
            runs.inHand = nil
            state = .stopping(session, runs, exitCode: exitCode)
            return .proceed

        default:
            break
        }
        return .reject(.unexpected(event: Self.describe(event), state: Self.describe(state)))
    }

    /// A `cancel`: the run in hand stops after its batch; a queued one is marked to start cancelled.
    private static func cancel(_ cancel: CancelRun, in runs: inout Runs) -> Action {
        if let inHand = runs.inHand, inHand.runID == cancel.runID {
            return .cancelRunInHand(runID: cancel.runID, flag: inHand.flag, reason: cancel.reason)
        }
        if runs.queued.contains(cancel.runID) {
            runs.cancelledBeforeStart[cancel.runID] = cancel.reason
            return .cancelQueuedRun(runID: cancel.runID, reason: cancel.reason)
        }
        return .cancelUnknownRun(runID: cancel.runID, reason: cancel.reason)
    }

    private static func describe(_ event: Event) -> String {
        switch event {
        case .message(let message): "a \(message.type) message"
        case .badLine: "a line that is not a message"
        case .oversizedLine: "an oversized line"
        case .endOfInput: "the end of input"
        case .sessionStarted: "a started session"
        case .sessionFailed: "a failed session"
        case .runStarting(let runID, _): "the start of run \(runID)"
        case .runFinished(let runID): "the end of run \(runID)"
        case .credentialsRejected: "refused credentials"
        }
    }

    private static func describe(_ state: State) -> String {
        switch state {
        case .awaitingHello: "awaiting hello"
        case .starting: "starting"
        case .ready(_, let runs): "ready (run in hand: \(runs.inHand?.runID ?? "none"), \(runs.queued.count) queued)"
        case .stopping(_, let runs, _): "stopping (run in hand: \(runs.inHand?.runID ?? "none"), \(runs.queued.count) queued)"
        case .failed: "failed"
        }
    }
}
