import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Worker pipes are read by a fixed number of threads, losing no line")
struct PipeReadersTests {
    @Test("300 workers alive: every one ready, the supervisor process runs at most 32 threads, and a tenant still syncs")
    func threeHundredWorkersFewThreads() async throws {
        let sites = (1...300).map { DemoSite(name: String(format: "many-%03d", $0), accommodations: 1, bookings: 2) }
        try await withSupervisorStack(sites: sites, as: .process, configure: { configuration, _ in
            // One role per tenant would be 300 role issues before the test starts; the pipes are what is tested.
            configuration.workerIdentity = .shared
        }) { stack in
            try await eventually(timeout: .seconds(240), "300 workers ready") { () -> Bool? in
                let ready = try await stack.api.tenants().values.filter { $0.state == .ready }.count
                return ready == sites.count ? true : nil
            }
            let threads = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(stack.serve.process.processIdentifier)/task").count
            #expect(threads <= 32, "the supervisor runs \(threads) threads with \(sites.count) workers")
            let runID = try await stack.api.decode(SyncAccepted.self, "POST", "/api/tenants/many-150/sync").runID
            #expect(try await stack.api.waitForRun(runID).status == .succeeded)
        }
    }

    @Test("a worker flooding its log pipe: every line it wrote is in its log file, once and in order, and another tenant syncs meanwhile")
    func floodingWorkerLosesNoLine() async throws {
        let sites = [DemoSite(name: "flooder", accommodations: 1, bookings: 2), DemoSite(name: "calm", accommodations: 2, bookings: 10)]
        let fault = InjectedFault("log-flood", tenant: "flooder", once: false, settings: ["TENANTSYNC_WORKER_FLOOD_SECONDS": "1.5"])
        try await withSupervisorStack(sites: sites, fault: fault, configure: { configuration, parts in
            configuration.dataDirectory = parts.directory.path
            configuration.logs.maxFileBytes = 1 << 40
            configuration.logs.maxFiles = 2
        }) { stack in
            let file = URL(fileURLWithPath: LogSettings.logsDirectory(in: stack.directory.path)).appendingPathComponent("flooder.log")
            try await eventually(timeout: .seconds(60), "the flood to begin") { () -> Bool? in
                (try? FileHandle(forReadingFrom: file).readData(ofLength: 4096))?.isEmpty == false ? true : nil
            }
            // While the flood runs, the other tenant's worker is heard and syncs.
            let runID = try await stack.api.decode(SyncAccepted.self, "POST", "/api/tenants/calm/sync").runID
            #expect(try await stack.api.waitForRun(runID).status == .succeeded)

            let written = try await eventually(timeout: .seconds(120), "the flood's last line") { () -> Int? in
                try Self.floodDoneCount(in: file)
            }
            let numbers = try Self.floodLineNumbers(in: file)
            #expect(written > 1000, "the worker wrote \(written) lines")
            #expect(numbers.count == written, "stored \(numbers.count) of \(written) lines")
            #expect(numbers.first == 1 && numbers.last == written)
            #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $1 == $0 + 1 }, "every line once and in order")
        }
    }

    /// N from the `log-flood done N lines` line at the file's end, once it is there.
    private static func floodDoneCount(in file: URL) throws -> Int? {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size > 4096 ? size - 4096 : 0)
        let tail = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        guard let range = tail.range(of: "log-flood done ") else { return nil }
        return Int(tail[range.upperBound...].prefix { $0.isNumber })
    }

    /// The N of every `log-flood line N` in the file, in the file's order.
    private static func floodLineNumbers(in file: URL) throws -> [Int] {
        let bytes = [UInt8](try Data(contentsOf: file))
        let marker = Array("log-flood line ".utf8)
        var numbers: [Int] = []
        var index = 0
        while index + marker.count <= bytes.count {
            if bytes[index] == marker[0], bytes[index..<(index + marker.count)].elementsEqual(marker) {
                index += marker.count
                var value = 0
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    value = value * 10 + Int(bytes[index] - 0x30)
                    index += 1
                }
                numbers.append(value)
            } else {
                index += 1
            }
        }
        return numbers
    }
}
