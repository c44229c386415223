import Testing

@testable import IPC

@Suite("Malformed, unknown and oversized lines")
struct BadLineTests {
    let codec = MessageCodec()

    @Test("invalid JSON is a malformed error quoting the line", arguments: [
        "not json at all", "{\"type\":\"progress\"", "[]", "", "{\"type\":42}",
    ])
    func malformed(line: String) {
        #expect {
            _ = try codec.decodeWorkerMessage(Array(line.utf8))
        } throws: { error in
            (error as? IPCError)?.code == .malformed
        }
    }

    @Test("a known type with missing fields is malformed")
    func missingFields() {
        #expect {
            _ = try codec.decodeWorkerMessage(Array(#"{"type":"progress","run_id":"r"}"#.utf8))
        } throws: { error in
            (error as? IPCError)?.code == .malformed
        }
    }

    @Test("an unknown type is reported by name")
    func unknownType() throws {
        do {
            _ = try codec.decodeWorkerMessage(Array(#"{"type":"teleport","x":1}"#.utf8))
            Issue.record("decoding an unknown type must throw")
        } catch {
            #expect(error.code == .unknownType)
            #expect(error.message.contains("teleport"))
        }
    }

    @Test("an oversized line is dropped, reported once, and the next line still arrives")
    func oversized() {
        var framer = LineFramer(maximumLineLength: 16)
        var events = framer.append(Array(repeating: UInt8(ascii: "x"), count: 10))
        events += framer.append(Array(repeating: UInt8(ascii: "x"), count: 30))
        events += framer.append(Array("yy\nok\n".utf8))
        #expect(events == [.oversized(length: 42), .line(Array("ok".utf8))])
    }

    @Test("a line exactly at the cap is delivered, one byte over is not")
    func capBoundary() {
        var framer = LineFramer(maximumLineLength: 4)
        let events = framer.append(Array("abcd\nabcde\n".utf8))
        #expect(events == [.line(Array("abcd".utf8)), .oversized(length: 5)])
    }

    @Test("error excerpts are short and printable")
    func excerpt() {
        let long = Array(repeating: UInt8(ascii: "a"), count: 500) + [0x01]
        let text = MessageCodec.excerpt(of: long)
        #expect(text.count < 160)
        #expect(text.contains("501 bytes"))
    }
}
