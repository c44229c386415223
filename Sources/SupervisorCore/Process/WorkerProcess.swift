import Foundation
import IPC
import Synchronization

/// One running `tenantsync-worker` child: its pipes, its pid, and a stream of what it does.
///
/// stdout and stderr are read by ``PipeReaders``, one event-loop thread for every worker's pipes, each
/// pipe framed on its own, so a chatty stderr can never stall the protocol channel. Events arrive on
/// ``events`` in the order each pipe produced them; ``WorkerEvent/exited(_:)`` comes last, after both
/// pipes hit EOF.
final class WorkerProcess: Sendable {
    /// The child's process id.
    let pid: Int32
    /// Everything the worker does, ending with its exit.
    let events: AsyncStream<WorkerEvent>
    private let writer: LineWriter
    private let process: Process

    private init(process: Process, stdinDescriptor: Int32, events: AsyncStream<WorkerEvent>) {
        self.pid = process.processIdentifier
        self.process = process
        self.writer = LineWriter(fileDescriptor: stdinDescriptor)
        self.events = events
    }

    /// Starts `executable` from the spawner thread and begins draining its output.
    /// - Parameter stderrLines: receives the lines of the worker's stderr on their reader's thread.
    /// - Parameter compactLogs: receives the worker's compact `log` lines (``CompactLogLine``) in a row,
    ///   checked but not decoded, as ranges of the bytes read (valid during the call only); a line
    ///   that is not well-formed is a ``WorkerEvent/badLine(_:)`` instead. Refusing takes them all back.
    /// - Parameter logs: receives the worker's other `log` messages on the thread that reads its stdout,
    ///   in order, instead of through ``events``: a tenant logging at full speed then costs no task
    ///   switch per line, and a supervisor that stores them slower than they come reads slower (the
    ///   pipe fills) rather than queueing them in memory without bound. Both callbacks run on the pipe
    ///   readers' thread and must not wait: they return `false` to refuse a line for now, and the
    ///   line is offered again once `whenRoom` calls back, that worker's pipe unread meanwhile.
    static func spawn(
        executable: String, arguments: [String] = [], environment: [String: String],
        logs: @escaping @Sendable (_ record: LogRecord, _ pid: Int32) -> Bool,
        compactLogs: @escaping @Sendable (_ bytes: UnsafeRawBufferPointer, _ lines: [CompactLogSpan], _ pid: Int32) -> Bool,
        stderrLines: @escaping @Sendable (_ line: String, _ pid: Int32) -> Bool,
        whenRoom: @escaping PipeLineHandler.WhenRoom = { $0() }
    ) async throws -> WorkerProcess {
        try await SpawnerThread.shared.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            var environment = environment
            environment["TENANTSYNC_SUPERVISOR_PID"] = String(getpid())
            process.environment = environment
            let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr

            let (events, continuation) = AsyncStream.makeStream(of: WorkerEvent.self, bufferingPolicy: .unbounded)
            // The exit event must come after both pipes are drained: count three "done" signals.
            let pending = Mutex(3)
            let exitStatus = Mutex<WorkerExit?>(nil)
            let finishOne: @Sendable () -> Void = {
                let remaining = pending.withLock { value in
                    value -= 1
                    return value
                }
                if remaining == 0 {
                    if let exit = exitStatus.withLock({ $0 }) { continuation.yield(.exited(exit)) }
                    continuation.finish()
                }
            }
            process.terminationHandler = { process in
                let signaled = process.terminationReason == .uncaughtSignal
                exitStatus.withLock { $0 = WorkerExit(status: process.terminationStatus, signaled: signaled) }
                finishOne()
            }
            try process.run()

            let codec = MessageCodec()
            let pid = process.processIdentifier
            PipeReaders.shared.read(
                descriptor: Self.ownedCopy(of: stdout.fileHandleForReading), maximumLineLength: LineFramer.defaultMaximumLineLength,
                name: "worker-\(pid)-stdout", handler: { event in
                    switch event {
                    case .line(let line):
                        do {
                            let message = try codec.decodeWorkerMessage(line)
                            if case .log(let record) = message { return logs(record, pid) }
                            continuation.yield(.message(message))
                        } catch {
                            continuation.yield(.badLine(error as? IPCError ?? IPCError(code: .malformed, message: "\(error)")))
                        }
                    case .oversized(let length):
                        continuation.yield(.badLine(IPCError(code: .oversized, message: "line of \(length) bytes exceeds the 1 MiB cap")))
                    case .endOfFile:
                        finishOne()
                    }
                    return true
                },
                compactLines: { bytes, lines in
                    var spans: [CompactLogSpan] = []
                    spans.reserveCapacity(lines.count)
                    var malformed: [Range<Int>] = []
                    for line in lines {
                        if let span = CompactLogSpan(line: line, in: bytes) { spans.append(span) } else { malformed.append(line) }
                    }
                    guard compactLogs(bytes, spans, pid) else { return false }
                    for line in malformed {
                        continuation.yield(.badLine(Self.malformedCompactLine(UnsafeRawBufferPointer(rebasing: bytes[line]))))
                    }
                    return true
                },
                whenRoom: whenRoom)
            PipeReaders.shared.read(
                descriptor: Self.ownedCopy(of: stderr.fileHandleForReading), maximumLineLength: 64 * 1024,
                name: "worker-\(pid)-stderr", handler: { event in
                    switch event {
                    case .line(let line): return stderrLines(String(decoding: line, as: UTF8.self), pid)
                    case .oversized(let length): return stderrLines("[line of \(length) bytes cut: over the 64 KiB cap]", pid)
                    case .endOfFile: finishOne()
                    }
                    return true
                }, whenRoom: whenRoom)
            // The writer owns a private copy of the stdin descriptor, so closing it can never
            // race with FileHandle closing (and the kernel reusing) the original.
            let stdinDescriptor = ownedCopy(of: stdin.fileHandleForWriting)
            return WorkerProcess(process: process, stdinDescriptor: stdinDescriptor, events: events)
        }
    }

    /// The error a compact line that is not well-formed is reported with: the decoder's own.
    private static func malformedCompactLine(_ line: UnsafeRawBufferPointer) -> IPCError {
        do {
            _ = try CompactLogLine.decode(line)
            return IPCError(code: .malformed, message: "not a valid compact log line: \(MessageCodec.excerpt(of: line))")
        } catch {
            return error
        }
    }

    /// A descriptor of the same pipe end that the caller owns alone; `handle` is closed.
    private static func ownedCopy(of handle: FileHandle) -> Int32 {
        let descriptor = fcntl(handle.fileDescriptor, F_DUPFD_CLOEXEC, 0)
        try? handle.close()
        return descriptor
    }

    /// Sends one message; returns `false` if the worker's stdin is closed.
    @discardableResult
    func send(_ message: SupervisorMessage) -> Bool {
        writer.send(message)
    }

    /// Closes the worker's stdin: a worker exits when its input ends.
    func closeInput() {
        writer.close()
    }

    /// Sends `signal` to the worker's process group (Foundation puts each child in its own group).
    func signal(_ signal: Int32) {
        if kill(-pid, signal) != 0 {
            kill(pid, signal)
        }
    }

    /// Whether the process is still running.
    var isRunning: Bool { process.isRunning }
}
