import DemoUpstreamKit
import Foundation
import IPC
import Testing
import TestSupport

@Suite("The tenantsync-worker process over its pipes")
struct WorkerProcessTests {
    @Test("hello → ready, sync → progress per page → result, stdin EOF → clean exit")
    func fullConversation() async throws {
        let site = DemoSite(name: "hotel-proc", accommodations: 8, bookings: 150)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let worker = try WorkerHarness()
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
                worker.send(.hello(Hello(tenantID: site.name, tenant: spec)))
                let ready = try await worker.next { if case .ready = $0 { true } else { false } }
                guard case .ready(let info) = ready else { return }
                #expect(info.pid == worker.process.processIdentifier)
                #expect(info.streams == ["accommodation_types", "accommodations", "rates", "reservations"])
                _ = try await worker.next { if case .heartbeat = $0 { true } else { false } }

                worker.send(.sync(SyncCommand(runID: "run-proc")))
                var progress: [SyncProgress] = []
                var result: RunResult?
                while result == nil {
                    let message = try await worker.next { message in
                        switch message {
                        case .progress, .result: true
                        default: false
                        }
                    }
                    switch message {
                    case .progress(let update): progress.append(update)
                    case .result(let final): result = final
                    default: break
                    }
                }
                #expect(result?.status == .succeeded)
                #expect(result?.runID == "run-proc")
                // bookings: 150 at 100 per page = 2 pages; the parents fit in one page each.
                #expect(progress.filter { $0.stream == "reservations" }.map(\.page) == [1, 2])
                #expect(progress.last?.pages == 2)
                #expect(progress.map(\.step) == progress.map(\.step).sorted())

                worker.closeInput()
                #expect(try await worker.waitForExit() == WorkerExitCode.success)
                // stdout held protocol lines only: no bad line was ever seen.
            }
        }
    }

    @Test("a malformed line is logged and ignored; the worker keeps serving")
    func malformedLineFromSupervisor() async throws {
        try await TestDatabase.withDatabase { url in
            let worker = try WorkerHarness()
            let spec = TenantSpec(id: "t-bad", connector: "motopress", databaseURL: url,
                                  settings: ["base_url": "http://127.0.0.1:9", "consumer_key": "ck", "consumer_secret": "cs_secret_value"],
                                  secretSettings: ["consumer_secret"], heartbeatInterval: 0.2)
            worker.send(.hello(Hello(tenantID: "t-bad", tenant: spec)))
            _ = try await worker.next { if case .ready = $0 { true } else { false } }
            worker.sendRaw("{this is not json}\n")
            let log = try await worker.next { if case .log(let record) = $0 { record.level == "error" } else { false } }
            guard case .log(let record) = log else { return }
            #expect(record.message.contains("bad line"))
            // Still alive: heartbeats keep coming.
            _ = try await worker.next { if case .heartbeat = $0 { true } else { false } }
            worker.send(.shutdown(Shutdown(reason: "test")))
            #expect(try await worker.waitForExit() == WorkerExitCode.success)
        }
    }

    @Test("an unknown connector is a fatal configuration error with the permanent-failure exit code")
    func badConfiguration() async throws {
        let worker = try WorkerHarness()
        let spec = TenantSpec(id: "t", connector: "no-such-connector", databaseURL: "postgresql://127.0.0.1:1/x")
        worker.send(.hello(Hello(tenantID: "t", tenant: spec)))
        let fatal = try await worker.next { if case .fatal = $0 { true } else { false } }
        guard case .fatal(let info) = fatal else { return }
        #expect(info.code == .badConfiguration)
        #expect(info.message.contains("no-such-connector"))
        #expect(try await worker.waitForExit() == WorkerExitCode.permanentFailure)
    }

    @Test("a first line that is not hello is refused")
    func badHandshake() async throws {
        let worker = try WorkerHarness()
        worker.sendRaw("garbage\n")
        let fatal = try await worker.next { if case .fatal = $0 { true } else { false } }
        guard case .fatal(let info) = fatal else { return }
        #expect(info.code == .badHandshake)
        #expect(try await worker.waitForExit() == WorkerExitCode.permanentFailure)
    }

    @Test("a protocol version mismatch is refused")
    func protocolMismatch() async throws {
        let worker = try WorkerHarness()
        let spec = TenantSpec(id: "t", connector: "motopress", databaseURL: "postgresql://127.0.0.1:1/x")
        worker.send(.hello(Hello(protocolVersion: 99, tenantID: "t", tenant: spec)))
        let fatal = try await worker.next { if case .fatal = $0 { true } else { false } }
        guard case .fatal(let info) = fatal else { return }
        #expect(info.code == .protocolMismatch)
        #expect(try await worker.waitForExit() == WorkerExitCode.permanentFailure)
    }

    @Test("secrets from the tenant's settings never appear in the worker's log lines")
    func secretsMasked() async throws {
        let site = DemoSite(name: "hotel-secret", accommodations: 2, bookings: 2)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let worker = try WorkerHarness(environment: ["TENANTSYNC_WORKER_LOG_LEVEL": "trace"])
                let secret = "cs_this_is_a_wrong_secret"
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, secret: secret)
                worker.send(.hello(Hello(tenantID: site.name, tenant: spec)))
                worker.send(.sync(SyncCommand(runID: "r")))
                var everything: [String] = []
                while true {
                    guard let next = try await worker.next() else { break }
                    if case .success(let message) = next {
                        everything.append(String(decoding: MessageCodec().encodeLine(message), as: UTF8.self))
                        if case .result = message { break }
                    }
                }
                #expect(everything.contains { $0.contains("\"type\":\"result\"") })
                #expect(!everything.contains { $0.contains(secret) })
                worker.closeInput()
                _ = try await worker.waitForExit()
            }
        }
    }
}
