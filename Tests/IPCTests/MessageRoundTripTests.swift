import Foundation
import Testing

@testable import IPC

@Suite("Message round trips")
struct MessageRoundTripTests {
    let codec = MessageCodec()

    static let tenant = TenantSpec(
        id: "hotel-a",
        connector: "motopress",
        databaseURL: "postgresql://tenantsync@127.0.0.1:5432/tenantsync",
        settings: ["base_url": "http://127.0.0.1:9000/sites/hotel-a", "consumer_key": "ck_a", "consumer_secret": "cs_a"],
        secretSettings: ["consumer_secret"]
    )

    static let supervisorMessages: [SupervisorMessage] = [
        .hello(Hello(tenantID: "hotel-a", tenant: tenant)),
        .sync(SyncCommand(runID: "run-1", full: true, startDate: "2025-01-01", endDate: "2025-12-31")),
        .sync(SyncCommand(runID: "run-2")),
        .shutdown(Shutdown(reason: "supervisor stopping")),
        .cancel(CancelRun(runID: "run-1", reason: "cancelled by request")),
        .check(CheckConnection(checkID: "chk_1")),
    ]

    static let workerMessages: [WorkerMessage] = [
        .ready(Ready(pid: 4242, version: "0.1.0", streams: ["accommodation_types", "accommodations", "reservations"])),
        .fatal(Fatal(code: .badConfiguration, message: "setting base_url is missing")),
        .progress(SyncProgress(runID: "run-1", stream: "reservations", step: 3, steps: 3, page: 2, pages: 5,
                           counts: StreamCounts(fetched: 200, created: 150, updated: 10, unchanged: 40))),
        .progress(SyncProgress(runID: "run-1", stream: "estimates", step: 1, steps: 1, page: 1, pages: nil, counts: StreamCounts())),
        .log(LogRecord(level: "info", message: "page written\nwith a newline", runID: "run-1", stream: "accommodations",
                       fields: ["sync.page": "1"])),
        .result(RunResult(runID: "run-1", status: .failed, streams: [
            StreamResult(stream: "accommodations", status: .failed, error: "HTTP 500"),
            StreamResult(stream: "reservations", status: .skipped, error: "parent stream accommodations failed"),
        ], error: "accommodations failed: HTTP 500", durationMilliseconds: 1234)),
        .heartbeat(Heartbeat(sequence: 7, runID: nil)),
        .checkResult(ConnectionCheckResult(checkID: "chk_1", passed: true, message: "connection test successful: 3 accommodations found")),
        .checkResult(ConnectionCheckResult(checkID: "chk_2", passed: false, message: "the upstream refused the credentials", errorKind: .authentication)),
    ]

    @Test("every supervisor message survives encode and decode", arguments: supervisorMessages)
    func supervisorRoundTrip(message: SupervisorMessage) throws {
        let line = codec.encodeLine(message)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false)
        let decoded = try codec.decodeSupervisorMessage(line.dropLast())
        #expect(decoded == message)
    }

    @Test("every worker message survives encode and decode", arguments: workerMessages)
    func workerRoundTrip(message: WorkerMessage) throws {
        let line = codec.encodeLine(message)
        #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false)
        let decoded = try codec.decodeWorkerMessage(line.dropLast())
        #expect(decoded == message)
    }

    @Test("the wire format has a type field and snake_case keys")
    func wireFormat() throws {
        let line = codec.encodeLine(SupervisorMessage.sync(SyncCommand(runID: "r1", full: false)))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["type"] as? String == "sync")
        #expect(object["run_id"] as? String == "r1")
    }

    @Test("a documented example line decodes")
    func documentedExample() throws {
        let line = #"{"type":"progress","run_id":"r1","stream":"reservations","step":3,"steps":3,"page":1,"pages":4,"counts":{"fetched":100,"created":100,"updated":0,"unchanged":0,"rejected":0}}"#
        let message = try codec.decodeWorkerMessage(Array(line.utf8))
        guard case .progress(let progress) = message else {
            Issue.record("expected progress, got \(message)")
            return
        }
        #expect(progress.pages == 4)
        #expect(progress.counts.created == 100)
    }
}

extension SupervisorMessage: CustomTestStringConvertible {
    public var testDescription: String { type }
}

extension WorkerMessage: CustomTestStringConvertible {
    public var testDescription: String { type }
}
