import IPC
import Testing

@Suite("Compact log lines: what the worker writes and the supervisor stores without decoding")
struct CompactLogLineTests {
    static let records: [LogRecord] = [
        LogRecord(level: "info", message: "log-flood line 12345"),
        LogRecord(level: "warning", message: "retry", runID: "r1", stream: "bookings", fields: ["after": "2", "sync.page": "3"]),
        LogRecord(level: "error", message: "two\nlines\r and a back\\slash \\n literally", runID: "", stream: "", fields: ["": "", "k=v": "a b"]),
        LogRecord(level: "notice", message: "Habitación doble, reserva nº 7 — 🛏", fields: ["nombre": "Peña"]),
        LogRecord(level: "debug", message: ""),
        LogRecord(level: "info", message: "semi;colons, commas; L", runID: "run;1", stream: "a,b"),
    ]

    @Test("every record comes back exactly from its compact line", arguments: records)
    func roundTrip(record: LogRecord) throws {
        let line = CompactLogLine.encode(record)
        #expect(line.last == 0x0A)
        #expect(line.dropLast().allSatisfy { $0 != 0x0A && $0 != 0x0D }, "one line, whatever the message holds")
        #expect(try CompactLogLine.decode(line.dropLast()) == record)
        let header = try #require(Array(line.dropLast()).withUnsafeBytes { CompactLogLine.header(of: $0) })
        #expect(String(decoding: line[header.level], as: UTF8.self) == record.level)
        var body: [UInt8] = []
        LogLineText.appendBody(runID: record.runID, stream: record.stream, message: record.message, fields: record.fields, to: &body)
        #expect(Array(line[header.body]) == body)
        #expect(try MessageCodec().decodeWorkerMessage(line.dropLast()) == .log(record))
    }

    @Test("the body is the text a log file line ends with, and the header finds it and the level")
    func bodyAndHeader() throws {
        let record = LogRecord(level: "warning", message: "retry\nsoon", runID: "r1", stream: "bookings", fields: ["b": "2", "a": "1"])
        let line = Array(CompactLogLine.encode(record).dropLast())
        #expect(String(decoding: line, as: UTF8.self) == #"Lwarning;2,8,11,1,1,1,1; run=r1 stream=bookings retry\nsoon a=1 b=2"#)
        var expectedBody: [UInt8] = []
        LogLineText.appendBody(runID: "r1", stream: "bookings", message: "retry\nsoon", fields: ["b": "2", "a": "1"], to: &expectedBody)
        let header = try #require(line.withUnsafeBytes { CompactLogLine.header(of: $0) })
        #expect(Array(line[header.body]) == expectedBody)
        #expect(String(decoding: line[header.level], as: UTF8.self) == "warning")
    }

    @Test(
        "a damaged compact line is refused by the header check and is a malformed error when decoded",
        arguments: [
            "L", "Linfo", "Linfo;", "Linfo;,,5", "Linfo;,,5;", "Linfo;,,5; hell", "Linfo;,,5; hello!", "Linfo;,,5;hello ",
            "Linfo;1,,5; hello", "Linfo;,,5,1; hello a", "Linfo;,,5,1,1; hello a:b", "Linfo;x,,5; hello", ";,,5; hello",
            "Linfo;,5; hello", "Linfo;,,99999999999999999999; hello",
        ]
    )
    func damaged(text: String) {
        let line = Array(text.utf8)
        #expect(line.withUnsafeBytes { CompactLogLine.header(of: $0) } == nil)
        #expect(throws: IPCError.self) { try CompactLogLine.decode(line) }
        #expect((try? MessageCodec().decodeWorkerMessage(line)) == nil)
    }

    @Test("bytes that are not UTF-8 in a well-framed line are a malformed error, not a crash")
    func notUTF8() {
        let line: [UInt8] = Array("Linfo;,,2; ".utf8) + [0xC3, 0x28]
        #expect(line.withUnsafeBytes { CompactLogLine.header(of: $0) } != nil)
        #expect(throws: IPCError.self) { try CompactLogLine.decode(line) }
    }

    @Test("escaping reads back exactly, and a backslash before another character stands for itself")
    func escaping() {
        for text in ["plain", "a\\b", "\\n is not a newline", "\n\r\\", "ends with \\"] {
            let escaped = Array(LogLineText.escaped(text).utf8)
            #expect(escaped.withUnsafeBytes { LogLineText.unescape($0) } == text)
        }
        #expect(Array(#"a\tb\"#.utf8).withUnsafeBytes { LogLineText.unescape($0) } == #"a\tb\"#)
    }
}
