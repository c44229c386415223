import Testing
import Support

@Suite("ServerSentEventParser")
struct ServerSentEventParserTests {
    static let stream = "retry: 1500\n\n: a comment\nid: 7\nevent: log\ndata: {\"a\":1}\n\n"
        + "data: first\r\ndata: second\r\n\r\nid: 9\nevent: completed\ndata:no space\n\n"

    @Test("events, ids, retry and comments, fed whole")
    func whole() {
        var parser = ServerSentEventParser()
        let events = parser.feed(Array(Self.stream.utf8))
        #expect(events == [
            .init(name: "log", data: #"{"a":1}"#, id: "7"),
            .init(name: "message", data: "first\nsecond", id: "7"),
            .init(name: "completed", data: "no space", id: "9"),
        ])
        #expect(parser.lastEventID == "9")
        #expect(parser.retryMilliseconds == 1500)
    }

    @Test("the same events whatever the chunk boundaries, a CR LF split between chunks included", arguments: [1, 2, 3, 5, 64])
    func chunked(size: Int) {
        var whole = ServerSentEventParser()
        let expected = whole.feed(Array(Self.stream.utf8))
        var parser = ServerSentEventParser()
        var events: [ServerSentEventParser.Event] = []
        let bytes = Array(Self.stream.utf8)
        for start in stride(from: 0, to: bytes.count, by: size) {
            events += parser.feed(Array(bytes[start..<min(start + size, bytes.count)]))
        }
        #expect(events == expected)
    }

    @Test("a reconnect starts from the id it was given; an event without data is not dispatched")
    func resume() {
        var parser = ServerSentEventParser(lastEventID: "41")
        #expect(parser.feed(Array("event: ping\n\ndata: x\n\n".utf8)) == [.init(name: "message", data: "x", id: "41")])
    }
}
