import Foundation
import IPC
import Synchronization

/// A real `tenantsync-worker` child process driven over its pipes, as the supervisor would.
public final class WorkerHarness: Sendable {
    public let process: Process
    private let writer: LineWriter
    private let inbox: AsyncInbox<Result<WorkerMessage, IPCError>>
    private let exits: AsyncInbox<Int32>
    /// Lines the worker wrote to stderr.
    public let stderrLines = AsyncInbox<String>()

    public init(environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Binaries.path(of: "tenantsync-worker"))
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let exits = AsyncInbox<Int32>()
        let sink = AsyncInbox<Result<WorkerMessage, IPCError>>()
        self.exits = exits
        self.inbox = sink
        process.terminationHandler = { exits.push($0.terminationStatus) }
        try process.run()
        self.process = process
        self.writer = LineWriter(fileDescriptor: fcntl(stdin.fileHandleForWriting.fileDescriptor, F_DUPFD_CLOEXEC, 0))
        try stdin.fileHandleForWriting.close()
        let codec = MessageCodec()
        LineReader(fileDescriptor: stdout.fileHandleForReading.fileDescriptor).start { event in
            switch event {
            case .line(let line):
                do throws(IPCError) {
                    sink.push(.success(try codec.decodeWorkerMessage(line)))
                } catch {
                    sink.push(.failure(error))
                }
            case .oversized(let length):
                sink.push(.failure(IPCError(code: .oversized, message: "\(length)")))
            case .endOfFile:
                sink.finish()
            }
        }
        let lines = stderrLines
        LineReader(fileDescriptor: stderr.fileHandleForReading.fileDescriptor).start { event in
            if case .line(let line) = event { lines.push(String(decoding: line, as: UTF8.self)) }
        }
    }

    /// Sends a message line.
    public func send(_ message: SupervisorMessage) {
        writer.send(message)
    }

    /// Sends raw bytes, for malformed-input tests.
    public func sendRaw(_ text: String) {
        writer.write(Array(text.utf8))
    }

    /// Closes the worker's stdin, as a vanished supervisor would.
    public func closeInput() {
        writer.close()
    }

    /// The next message (or bad line) from the worker, or `nil` at end of output; fails after `timeout`.
    public func next(timeout: Duration = .seconds(30)) async throws -> Result<WorkerMessage, IPCError>? {
        try await inbox.next(timeout: timeout)
    }

    /// The next message that satisfies `predicate`, skipping heartbeats and logs in between.
    public func next(where predicate: (WorkerMessage) -> Bool, timeout: Duration = .seconds(30)) async throws -> WorkerMessage {
        let deadline = ContinuousClock.now + timeout
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero, let next = try await next(timeout: remaining) else {
                throw TestSupportError("the worker's output ended or timed out before the expected message")
            }
            if case .success(let message) = next, predicate(message) { return message }
        }
    }

    /// Waits for the worker to exit and returns its status.
    public func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        guard let status = try await exits.next(timeout: timeout) else { throw TestSupportError("no exit status") }
        return status
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

