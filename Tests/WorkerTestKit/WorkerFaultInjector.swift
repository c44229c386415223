import Foundation
import IPC
import Synchronization

/// Puts a ``WorkerFault`` between the real pipes and the runtime: it reads stdin and the runtime's
/// output on threads of its own and passes lines on, dropping, adding or acting on some, so the
/// runtime itself stays untouched. Reads its settings from the environment (see ``WorkerFault``).
final class WorkerFaultInjector: Sendable {
    private let fault: WorkerFault
    private let tenantID: String?
    private let markerPath: String?
    private let hello: [UInt8]?
    private let floodSeconds: Double
    private let badLineCount: Int
    private let armed = Atomic<Bool>(false)
    private let outputDone = DispatchSemaphore(value: 0)

    /// The injector the environment asks for, or `nil` when no fault is set.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> WorkerFaultInjector? {
        guard let name = environment["TENANTSYNC_WORKER_FAULT"], !name.isEmpty else { return nil }
        guard let fault = WorkerFault(rawValue: name) else {
            FileHandle.standardError.write(Data("unknown TENANTSYNC_WORKER_FAULT \(name); ignored\n".utf8))
            return nil
        }
        return WorkerFaultInjector(
            fault: fault,
            tenantID: environment["TENANTSYNC_WORKER_FAULT_TENANT"],
            markerPath: environment["TENANTSYNC_WORKER_FAULT_ONCE"],
            hello: environment["TENANTSYNC_WORKER_HELLO"].flatMap { $0.isEmpty ? nil : Array($0.utf8) },
            floodSeconds: environment["TENANTSYNC_WORKER_FLOOD_SECONDS"].flatMap(Double.init) ?? 10,
            badLineCount: environment["TENANTSYNC_WORKER_BAD_LINES"].flatMap(Int.init) ?? 100
        )
    }

    private init(fault: WorkerFault, tenantID: String?, markerPath: String?, hello: [UInt8]?, floodSeconds: Double, badLineCount: Int) {
        self.fault = fault
        self.tenantID = tenantID
        self.markerPath = markerPath
        self.hello = hello
        self.floodSeconds = floodSeconds
        self.badLineCount = badLineCount
    }

    /// Puts the injector between the real stdin/stdout and the runtime; returns the runtime's ends.
    func install() -> (input: Int32, writer: LineWriter) {
        var inputPipe: [Int32] = [0, 0]
        var outputPipe: [Int32] = [0, 0]
        guard pipe(&inputPipe) == 0, pipe(&outputPipe) == 0 else {
            return (STDIN_FILENO, LineWriter(fileDescriptor: STDOUT_FILENO))
        }
        let codec = MessageCodec()
        let toRuntime = LineWriter(fileDescriptor: inputPipe[1])
        let toSupervisor = LineWriter(fileDescriptor: STDOUT_FILENO)
        if let hello {
            if case .hello(let message) = try? codec.decodeSupervisorMessage(hello) {
                arm(for: message.tenantID)
            } else {
                FileHandle.standardError.write(Data("TENANTSYNC_WORKER_HELLO is not a hello message; passed on as it is\n".utf8))
            }
            toRuntime.write(hello + [0x0A])
        }
        LineReader(fileDescriptor: STDIN_FILENO, name: "fault-stdin").start { [self] event in
            switch event {
            case .line(let line):
                switch try? codec.decodeSupervisorMessage(line) {
                case .hello(let hello):
                    arm(for: hello.tenantID)
                case .sync where isArmed && fault == .hangOnSync:
                    return
                default:
                    break
                }
                toRuntime.write(line + [0x0A])
            case .oversized:
                break
            case .endOfFile:
                toRuntime.close()
            }
        }
        LineReader(fileDescriptor: outputPipe[0], name: "fault-stdout").start { [self] event in
            switch event {
            case .line(let line):
                if isArmed, let message = try? codec.decodeWorkerMessage(line) {
                    if fault == .noHeartbeat, case .heartbeat = message { return }
                    if fault == .logFlood, case .ready = message {
                        toSupervisor.write(line + [0x0A])
                        let seconds = floodSeconds
                        Thread { Self.flood(toSupervisor, seconds: seconds) }.start()
                        return
                    }
                    if fault == .badLines, case .ready = message {
                        toSupervisor.write(line + [0x0A])
                        Self.writeBadLines(badLineCount, to: toSupervisor)
                        return
                    }
                    if fault == .wrongProtocol, case .ready(var ready) = message {
                        ready.protocolVersion = 99
                        toSupervisor.write(codec.encodeLine(WorkerMessage.ready(ready)))
                        return
                    }
                    if fault == .crashOnSync, case .progress = message {
                        toSupervisor.write(line + [0x0A])
                        kill(getpid(), SIGKILL)
                    }
                }
                toSupervisor.write(line + [0x0A])
            case .oversized:
                break
            case .endOfFile:
                outputDone.signal()
            }
        }
        return (inputPipe[0], LineWriter(fileDescriptor: outputPipe[1]))
    }

    /// Flushes what the runtime wrote before the process exits.
    func finish(_ writer: LineWriter) {
        writer.close()
        _ = outputDone.wait(timeout: .now() + 2)
    }

    private var isArmed: Bool { armed.load(ordering: .acquiring) }

    private func arm(for tenant: String) {
        if let tenantID, tenantID != tenant { return }
        if let markerPath {
            let descriptor = open(markerPath, O_CREAT | O_EXCL | O_WRONLY, 0o600)
            guard descriptor >= 0 else { return }
            close(descriptor)
        }
        armed.store(true, ordering: .releasing)
        switch fault {
        case .exitAtStart:
            exit(WorkerExitCode.failure)
        case .exitPermanent:
            exit(WorkerExitCode.permanentFailure)
        case .leakMemory:
            let thread = Thread {
                var hoard: [UnsafeMutableRawPointer] = []
                while true {
                    let size = 8 * 1024 * 1024
                    let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
                    block.initializeMemory(as: UInt8.self, repeating: 1, count: size)
                    hoard.append(block)
                    Thread.sleep(forTimeInterval: 0.05)
                }
            }
            thread.start()
        case .none, .logFlood, .crashOnSync, .hangOnSync, .noHeartbeat, .badLines, .wrongProtocol:
            break
        }
    }

    /// Writes `count` lines the supervisor cannot take as messages, of three kinds in turn.
    private static func writeBadLines(_ count: Int, to output: LineWriter) {
        let kinds = ["this is not json", #"{"type":"no_such_message"}"#, #"{"type":"progress","run_id":"r"}"#]
        for index in 0..<max(count, 0) {
            guard output.write(Array(kinds[index % kinds.count].utf8) + [0x0A]) else { return }
        }
    }

    /// Writes numbered `log` lines, compact as the worker's log handler writes them, in chunks of
    /// about 64 KiB until `seconds` have passed. Each line is put together from its pieces, as
    /// ``CompactLogLine/encode(_:)`` would write it, so the flood measures the supervisor, not the encoder.
    private static func flood(_ output: LineWriter, seconds: Double) {
        let message = Array("log-flood line ".utf8)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        var written = 0
        var chunk: [UInt8] = []
        chunk.reserveCapacity(70_000)
        while DispatchTime.now().uptimeNanoseconds < deadline {
            chunk.removeAll(keepingCapacity: true)
            while chunk.count < 65_536 {
                written += 1
                let number = String(written).utf8
                chunk += "Linfo;,,".utf8
                chunk += String(message.count + number.count).utf8
                chunk += "; ".utf8
                chunk += message
                chunk += number
                chunk.append(0x0A)
            }
            guard output.write(chunk) else { return }
        }
        output.write(CompactLogLine.encode(LogRecord(level: "info", message: "log-flood done \(written) lines")))
    }
}
