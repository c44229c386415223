import IPC
@testable import SyncEngine
import Testing

/// The worker's protocol decisions, event by event, without a process, a pipe or a database.
@Suite("WorkerStateMachine")
struct WorkerStateMachineTests {
    typealias Machine = WorkerStateMachine<String>

    static let hello = Hello(tenantID: "t", tenant: TenantSpec(id: "t", connector: "motopress", databaseURL: "postgresql://db/x", heartbeatInterval: 0.5))

    /// A machine past its handshake, with session "session".
    static func ready() -> Machine {
        var machine = Machine()
        _ = machine.event(.message(.hello(hello)))
        _ = machine.event(.sessionStarted("session"))
        return machine
    }

    static func sync(_ runID: String) -> Machine.Event { .message(.sync(SyncCommand(runID: runID))) }
    static func cancel(_ runID: String, _ reason: String = "operator") -> Machine.Event {
        .message(.cancel(CancelRun(runID: runID, reason: reason)))
    }

    @Test("hello, then the session: heartbeats start at the tenant's interval and the worker serves")
    func handshake() {
        var machine = Machine()
        #expect(machine.isReading)
        guard case .startSession(let hello) = machine.event(.message(.hello(Self.hello))) else {
            Issue.record("hello did not start the session")
            return
        }
        #expect(hello == Self.hello)
        guard case .startHeartbeat(let seconds) = machine.event(.sessionStarted("session")) else {
            Issue.record("the started session did not start heartbeats")
            return
        }
        #expect(seconds == 0.5)
        #expect(machine.session == "session")
        #expect(machine.isReading)
        #expect(machine.exitCode == WorkerExitCode.success)
    }

    @Test("a handshake that fails ends the worker with the permanent-failure status", arguments: [
        (Machine.Event.message(.hello(Hello(protocolVersion: 99, tenantID: "t", tenant: hello.tenant))), Fatal.Code.protocolMismatch,
         "supervisor speaks protocol 99"),
        (.message(.sync(SyncCommand(runID: "r"))), .badHandshake, "sync received before hello"),
        (.badLine(IPCError(code: .malformed, message: "not JSON")), .badHandshake, "first line must be a hello message: not JSON"),
    ])
    func failedHandshake(event: Machine.Event, code: Fatal.Code, message: String) {
        var machine = Machine()
        guard case .failHandshake(let sent, let text) = machine.event(event) else {
            Issue.record("no fatal")
            return
        }
        #expect(sent == code)
        #expect(text.hasPrefix(message))
        #expect(!machine.isReading)
        #expect(machine.exitCode == WorkerExitCode.permanentFailure)
    }

    @Test("a session the runtime could not build ends the worker with the permanent-failure status")
    func sessionFailed() {
        var machine = Machine()
        _ = machine.event(.message(.hello(Self.hello)))
        guard case .proceed = machine.event(.sessionFailed) else {
            Issue.record("unexpected action")
            return
        }
        #expect(!machine.isReading)
        #expect(machine.exitCode == WorkerExitCode.permanentFailure)
    }

    @Test("runs start in order; a cancel stops the run in hand, or makes a queued run start cancelled")
    func runsAndCancels() {
        var machine = Self.ready()
        guard case .enqueue(let first, "session") = machine.event(Self.sync("r1")),
              case .enqueue(let second, "session") = machine.event(Self.sync("r2"))
        else {
            Issue.record("syncs not queued")
            return
        }
        #expect([first.runID, second.runID] == ["r1", "r2"])

        let flag = CancellationFlag()
        guard case .startRun("r1", nil) = machine.event(.runStarting(runID: "r1", flag: flag)) else {
            Issue.record("r1 did not start")
            return
        }
        #expect(machine.runInHand == "r1")
        guard case .cancelQueuedRun("r2", "too late") = machine.event(Self.cancel("r2", "too late")) else {
            Issue.record("r2 not marked")
            return
        }
        guard case .cancelRunInHand("r1", let raised, "operator") = machine.event(Self.cancel("r1")) else {
            Issue.record("r1 not cancelled")
            return
        }
        #expect(raised === flag)
        guard case .cancelUnknownRun("r0", _) = machine.event(Self.cancel("r0")) else {
            Issue.record("an unknown run's cancel was not recognised")
            return
        }
        guard case .proceed = machine.event(.runFinished(runID: "r1")) else {
            Issue.record("r1 did not finish")
            return
        }
        #expect(machine.runInHand == nil)
        guard case .startRun("r2", "too late") = machine.event(.runStarting(runID: "r2", flag: CancellationFlag())) else {
            Issue.record("r2 did not start cancelled")
            return
        }
    }

    @Test("shutdown stops the run in hand, queued and later runs start cancelled, and reading stops")
    func shutdown() {
        var machine = Self.ready()
        _ = machine.event(Self.sync("r1"))
        _ = machine.event(Self.sync("r2"))
        let flag = CancellationFlag()
        _ = machine.event(.runStarting(runID: "r1", flag: flag))
        guard case .stop(.shutdown(reason: "bye"), let inHand) = machine.event(.message(.shutdown(Shutdown(reason: "bye")))) else {
            Issue.record("no stop")
            return
        }
        #expect(inHand === flag)
        #expect(!machine.isReading)
        #expect(machine.exitCode == WorkerExitCode.success)
        _ = machine.event(.runFinished(runID: "r1"))
        guard case .startRun("r2", "worker shutting down") = machine.event(.runStarting(runID: "r2", flag: CancellationFlag())) else {
            Issue.record("r2 did not start cancelled")
            return
        }
        _ = machine.event(.runFinished(runID: "r2"))
        // A sync that still arrives is queued so that its result says it was cancelled.
        guard case .enqueue = machine.event(Self.sync("r3")),
              case .startRun("r3", "worker shutting down") = machine.event(.runStarting(runID: "r3", flag: CancellationFlag()))
        else {
            Issue.record("r3 not answered")
            return
        }
    }

    @Test("end of input before hello ends the worker cleanly, with no session")
    func endOfInputBeforeHello() {
        var machine = Machine()
        guard case .stop(.endOfInput, nil) = machine.event(.endOfInput) else {
            Issue.record("no stop")
            return
        }
        #expect(machine.session == nil)
        #expect(machine.exitCode == WorkerExitCode.success)
        #expect(!machine.isReading)
    }

    @Test("refused credentials end the worker with 78, whether or not it was already stopping")
    func credentialsRejected() {
        var rejectedFirst = Self.ready()
        guard case .stop(.credentialsRejected, nil) = rejectedFirst.event(.credentialsRejected) else {
            Issue.record("no stop")
            return
        }
        #expect(rejectedFirst.exitCode == WorkerExitCode.permanentFailure)
        _ = rejectedFirst.event(.message(.shutdown(Shutdown(reason: "later"))))
        #expect(rejectedFirst.exitCode == WorkerExitCode.permanentFailure)

        var shutdownFirst = Self.ready()
        _ = shutdownFirst.event(.message(.shutdown(Shutdown(reason: "first"))))
        _ = shutdownFirst.event(.credentialsRejected)
        #expect(shutdownFirst.exitCode == WorkerExitCode.permanentFailure)
    }

    @Test("events with no place in the state are rejected, and change nothing")
    func rejections() {
        var machine = Self.ready()
        guard case .reject(.secondHello) = machine.event(.message(.hello(Self.hello))) else {
            Issue.record("a second hello was not rejected")
            return
        }
        guard case .reject(.badLine(let error)) = machine.event(.badLine(IPCError(code: .malformed, message: "x"))) else {
            Issue.record("a bad line was not rejected")
            return
        }
        #expect(error.message == "x")
        guard case .reject(.oversizedLine(bytes: 70_000)) = machine.event(.oversizedLine(bytes: 70_000)) else {
            Issue.record("an oversized line was not rejected")
            return
        }
        guard case .reject(.unexpected) = machine.event(.runStarting(runID: "never-asked", flag: CancellationFlag())),
              case .reject(.unexpected) = machine.event(.runFinished(runID: "never-started")),
              case .reject(.unexpected) = machine.event(.sessionStarted("another"))
        else {
            Issue.record("an impossible event was accepted")
            return
        }
        #expect(machine.session == "session")
        #expect(machine.runInHand == nil)
        #expect(machine.isReading)

        var fresh = Machine()
        guard case .reject(.unexpected(let event, let state)) = fresh.event(Self.cancel("r")) else {
            Issue.record("a cancel before hello was accepted")
            return
        }
        #expect(event == "a cancel message")
        #expect(state == "awaiting hello")
        #expect(fresh.isReading)
    }

    @Test("a check is tested beside the runs while ready, refused at once while stopping, and rejected before hello")
    func connectionChecks() {
        let check = CheckConnection(checkID: "chk_1")
        var machine = Self.ready()
        _ = machine.event(Self.sync("run-1"))
        guard case .checkConnection(let asked, let session) = machine.event(.message(.check(check))) else {
            Issue.record("a ready worker did not test its connection")
            return
        }
        #expect(asked == check && session == "session")
        #expect(machine.runInHand == nil)
        _ = machine.event(.message(.shutdown(Shutdown(reason: "test"))))
        guard case .refuseCheck(let refused, let reason) = machine.event(.message(.check(check))) else {
            Issue.record("a stopping worker did not refuse the check")
            return
        }
        #expect(refused == check && reason.contains("stopping"))
        var fresh = Machine()
        guard case .reject = fresh.event(.message(.check(check))) else {
            Issue.record("a check before hello was not rejected")
            return
        }
    }
}
