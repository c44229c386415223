import Foundation
@testable import IPC
import Testing

@Suite("log lines read by the fast path decode exactly as JSONDecoder decodes them")
struct LogLineDecoderTests {
    static let lines = [
        #"{"type":"log","level":"info","message":"page written","fields":{}}"#,
        #"{"type":"log","level":"warning","message":"retry","run_id":"run_1","stream":"reservations","fields":{"http.url":"http:\/\/h\/x?a=1&b=2","retry.attempt":"1"}}"#,
        #" { "type" : "log" , "level" : "error" , "message" : "tab\there \"quoted\" back\\slash \u00e9 \ud83d\ude00 line\nbreak" , "run_id" : null , "stream" : null , "fields" : { "k" : "v" } } "#,
        #"{"level":"debug","message":"","type":"log","fields":{"a":"1","a2":"\u0041"}}"#,
        #"{"type":"log","level":"info","message":"café — 日本","fields":{"ü":"ß"}}"#,
    ]

    @Test("the same record as JSONDecoder", arguments: lines)
    func sameAsJSONDecoder(line: String) throws {
        let fast = try #require(LogLineDecoder.decode(Array(line.utf8)))
        let general = try JSONDecoder().decode(WorkerMessage.self, from: Data(line.utf8))
        #expect(WorkerMessage.log(fast) == general)
        #expect(try MessageCodec().decodeWorkerMessage(Array(line.utf8)) == general)
    }

    @Test("anything else is left to the general decoder, which reports errors as before", arguments: [
        #"{"type":"heartbeat","at":"2026-01-01T00:00:00Z"}"#,
        #"{"type":"log","level":"info","message":"x"}"#,
        #"{"type":"log","level":"info","message":"x","fields":{"n":1}}"#,
        #"{"type":"log","level":"info","message":"bad \x escape","fields":{}}"#,
        #"{"type":"log","level":"info","message":"x","fields":{}} trailing"#,
        #"{"type":"log","level":"info","message":"lone \udc00","fields":{}}"#,
        #"{"type":"log","level":"info","message":"x","fields":{},"extra":true}"#,
        #"{"type":"log","level":"info","message":"x","fields":{}"#,
    ])
    func declines(line: String) {
        #expect(LogLineDecoder.decode(Array(line.utf8)) == nil)
    }

    @Test("invalid UTF-8 and raw control characters are declined")
    func declinesBadBytes() {
        let prefix = Array(#"{"type":"log","level":"info","message":""#.utf8)
        let suffix = Array(#"","fields":{}}"#.utf8)
        #expect(LogLineDecoder.decode(prefix + [0xC3, 0x28] + suffix) == nil)
        #expect(LogLineDecoder.decode(prefix + [0x0A] + suffix) == nil)
        #expect(LogLineDecoder.decode(prefix + Array("ok".utf8) + suffix)?.message == "ok")
    }
}
