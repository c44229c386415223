import Foundation
import Synchronization
import Testing

@testable import IPC

@Suite("Reading and writing lines over a real pipe")
struct LineReaderTests {
    @Test("lines written in pieces arrive whole, a bad line does not stop the stream, EOF ends it")
    func pipeRoundTrip() async throws {
        let pipe = Pipe()
        let reader = LineReader(fileDescriptor: pipe.fileHandleForReading.fileDescriptor, maximumLineLength: 1024)
        let codec = MessageCodec()
        let collected = Mutex<[String]>([])

        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            reader.start { event in
                switch event {
                case .line(let line):
                    let text: String
                    do {
                        text = "message:\(try codec.decodeWorkerMessage(line).type)"
                    } catch {
                        text = "error:\((error as? IPCError)?.code.description ?? "?")"
                    }
                    collected.withLock { $0.append(text) }
                case .oversized(let length):
                    collected.withLock { $0.append("oversized:\(length)") }
                case .endOfFile:
                    done.resume()
                }
            }
            let writer = LineWriter(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor)
            let heartbeat = codec.encodeLine(WorkerMessage.heartbeat(Heartbeat(sequence: 1)))
            writer.write(Array(heartbeat[0..<5]))
            writer.write(Array(heartbeat[5...]))
            writer.write(Array("garbage\n".utf8))
            writer.write(Array(repeating: UInt8(ascii: "z"), count: 5000) + [UInt8(ascii: "\n")])
            writer.send(WorkerMessage.ready(Ready(pid: 1, version: "t", streams: [])))
            try? pipe.fileHandleForWriting.close()
        }
        #expect(collected.withLock { $0 } == ["message:heartbeat", "error:malformed", "oversized:5000", "message:ready"])
    }

    @Test("a writer reports a closed reader instead of crashing")
    func writeToClosedPipe() throws {
        signal(SIGPIPE, SIG_IGN)
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let writer = LineWriter(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor)
        #expect(writer.write(Array("hello\n".utf8)) == false)
        #expect(writer.write(Array("again\n".utf8)) == false)
    }
}
