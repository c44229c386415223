import IPC

/// Something a worker process did, as seen by the supervisor.
enum WorkerEvent: Sendable {
    /// A well-formed protocol message on stdout.
    case message(WorkerMessage)
    /// A stdout line that was not a valid message (malformed, unknown type or oversized).
    case badLine(IPCError)
    /// The process ended.
    case exited(WorkerExit)
}

/// How a worker process ended.
public struct WorkerExit: Sendable, Equatable, CustomStringConvertible {
    /// The exit status, or the number of the signal that killed it.
    public var status: Int32
    /// Whether a signal ended the process.
    public var signaled: Bool

    public init(status: Int32, signaled: Bool) {
        self.status = status
        self.signaled = signaled
    }

    /// A clean exit with status 0.
    public var isClean: Bool { !signaled && status == WorkerExitCode.success }
    /// The worker said retrying is pointless.
    public var isPermanentFailure: Bool { !signaled && status == WorkerExitCode.permanentFailure }

    public var description: String {
        signaled ? "killed by signal \(status)" : "exited with status \(status)"
    }
}
