import Testing

@testable import IPC

@Suite("Line framing across reads")
struct LineFramerTests {
    @Test("a line split across many reads arrives whole")
    func splitAcrossReads() {
        var framer = LineFramer()
        let text = Array(#"{"type":"heartbeat","seq":1}"#.utf8) + [UInt8(ascii: "\n")]
        var events: [LineFramer.Event] = []
        for byte in text { events += framer.append([byte]) }
        #expect(events == [.line(Array(text.dropLast()))])
    }

    @Test("several lines in one read arrive in order")
    func severalInOneRead() {
        var framer = LineFramer()
        let events = framer.append(Array("one\ntwo\r\nthree\n\nfour".utf8))
        #expect(events == [.line(Array("one".utf8)), .line(Array("two".utf8)), .line(Array("three".utf8)), .line([])])
        #expect(framer.pendingByteCount == 4)
        #expect(framer.finish() == [.line(Array("four".utf8))])
    }

    @Test("any split of a message stream yields the same lines", arguments: [1, 2, 3, 7, 64])
    func arbitrarySplits(chunkSize: Int) {
        let codec = MessageCodec()
        let messages: [WorkerMessage] = (0..<50).map { .heartbeat(Heartbeat(sequence: $0)) }
        let stream = messages.flatMap { codec.encodeLine($0) }
        var framer = LineFramer()
        var decoded: [WorkerMessage] = []
        var start = 0
        while start < stream.count {
            let end = min(start + chunkSize, stream.count)
            for event in framer.append(stream[start..<end]) {
                if case .line(let line) = event, let message = try? codec.decodeWorkerMessage(line) {
                    decoded.append(message)
                }
            }
            start = end
        }
        #expect(decoded == messages)
    }
}
