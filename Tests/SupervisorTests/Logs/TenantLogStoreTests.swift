import Foundation
import IPC
import Logging
import Testing
@testable import SupervisorCore

/// A scratch logs directory removed after `body`.
func withLogsDirectory<T>(_ body: (String) throws -> T) rethrows -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsync-logs-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try body(directory)
}

/// Every line of a tenant's files, oldest first.
func storedLines(_ store: TenantLogStore, tenant: String) throws -> [String] {
    store.flush()
    return try store.files(of: tenant).flatMap { path in
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}

@Suite("Tenant log store: records, masking, caps, rotation, followers")
struct TenantLogStoreTests {
    static let tenant = TenantConfiguration(id: "hotel-a", connector: "motopress", settings: [
        "base_url": "http://upstream.invalid/sites/hotel-a",
        "consumer_key": "ck_visible_only_to_us_1234",
        "consumer_secret": "cs_very_secret_value_987",
    ])

    @Test("a worker log record keeps level, run, stream, fields and gets an RFC 3339 millisecond stamp")
    func recordFields() throws {
        try withLogsDirectory { directory throws in
            let store = TenantLogStore(directory: directory, tenants: [Self.tenant])
            store.append(tenant: Self.tenant, pid: 42, record: LogRecord(level: "warning", message: "page retried", runID: "run_1", stream: "bookings", fields: ["sync.page": "3"]))
            let entry = try #require(store.tail(LogFilter(tenant: "hotel-a"), limit: 10).first)
            #expect(entry.level == "warning")
            #expect(entry.runID == "run_1")
            #expect(entry.stream == "bookings")
            #expect(entry.pid == 42)
            #expect(entry.fields == ["sync.page": "3"])
            let line = try #require(try storedLines(store, tenant: "hotel-a").first)
            #expect(line.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z hotel-a WARN  pid=42 run=run_1 stream=bookings page retried sync\.page=3/) != nil, "\(line)")
            #expect(store.tail(LogFilter(tenant: "hotel-a", minimumLevel: "error"), limit: 10).isEmpty)
            #expect(store.tail(LogFilter(tenant: "hotel-a", grep: "RETRIED"), limit: 10).count == 1)
        }
    }

    @Test("JSON-lines format writes one object per line")
    func jsonLines() throws {
        try withLogsDirectory { directory throws in
            let store = TenantLogStore(directory: directory, settings: LogSettings(format: .json), tenants: [Self.tenant])
            _ = store.offerStderr(tenant: Self.tenant, pid: 7, line: "two\nlines in one message")
            let line = try #require(try storedLines(store, tenant: "hotel-a").first)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["tenant"] as? String == "hotel-a")
            #expect(object["message"] as? String == "two\nlines in one message")
            #expect(object["source"] as? String == "stderr")
            #expect(try storedLines(store, tenant: "hotel-a").count == 1)
        }
    }

    @Test("known secret values never reach the ring, the files or a follower")
    func secretsMasked() throws {
        try withLogsDirectory { directory throws in
            let store = TenantLogStore(directory: directory, tenants: [Self.tenant], databaseURL: "postgresql://sync:db_pass_4321@db.invalid/tenants")
            let follower = store.follow(LogFilter(tenant: "hotel-a"))
            _ = store.offerStderr(tenant: Self.tenant, pid: 1, line: "GET ?consumer_key=ck_visible_only_to_us_1234&consumer_secret=cs_very_secret_value_987")
            store.append(tenant: Self.tenant, pid: 1, record: LogRecord(level: "error", message: "connect failed", fields: ["url": "postgresql://sync:db_pass_4321@db.invalid"]))
            store.supervisorEvent(tenant: Self.tenant, message: "cause: cs_very_secret_value_987")
            let secrets = ["ck_visible_only_to_us_1234", "cs_very_secret_value_987", "db_pass_4321"]
            let files = try storedLines(store, tenant: "hotel-a").joined(separator: "\n")
            let ring = store.tail(LogFilter(), limit: 10).map { $0.json() }.joined(separator: "\n")
            for secret in secrets {
                #expect(!files.contains(secret))
                #expect(!ring.contains(secret))
            }
            #expect(files.contains("consumer_secret=***"))
            #expect(files.contains("sync:***@"))
            store.unfollow(follower)
        }
    }

    @Test("a line over the cap is cut with a visible marker")
    func longLineCut() throws {
        try withLogsDirectory { directory throws in
            let store = TenantLogStore(directory: directory, tenants: [Self.tenant])
            _ = store.offerStderr(tenant: Self.tenant, pid: 1, line: String(repeating: "é", count: 50_000))
            let entry = try #require(store.tail(LogFilter(), limit: 1).first)
            #expect(entry.message.contains("[line cut: 34464 more bytes over the 64 KiB cap]"))
            #expect(entry.message.utf8.count < 64 * 1024 + 100)
            #expect(store.counters()["hotel-a"]?.cutLines == 1)
            store.flush()
        }
    }

    @Test("8 chatty writers: every line whole, each tenant's order intact, nothing lost across rotations")
    func chattyWritersAndRotation() throws {
        try withLogsDirectory { directory throws in
            // Small files and room for all of them: each tenant rotates dozens of times.
            let settings = LogSettings(maxFileBytes: 16 * 1024, maxFiles: 1000, ringLines: 100)
            let store = TenantLogStore(directory: directory, settings: settings)
            let writers = 8, perWriter = 3000
            let padding = String(repeating: "z", count: 40)
            DispatchQueue.concurrentPerform(iterations: writers) { writer in
                for index in 0..<perWriter {
                    store.append(tenant: "tenant-\(writer)", pid: Int32(writer), level: "info", source: .stderr, message: "line \(index) of writer \(writer) \(padding)", waitForDisk: true)
                }
            }
            for writer in 0..<writers {
                let lines = try storedLines(store, tenant: "tenant-\(writer)")
                #expect(lines.count == perWriter)
                #expect(store.files(of: "tenant-\(writer)").count > 10)
                for (index, line) in lines.enumerated() {
                    guard line.hasSuffix("line \(index) of writer \(writer) \(padding)"), line.contains(" tenant-\(writer) INFO  pid=\(writer) ") else {
                        Issue.record("tenant-\(writer) line \(index) is out of order or torn: \(line)")
                        break
                    }
                }
                #expect(store.counters()["tenant-\(writer)"]?.lines == UInt64(perWriter))
                #expect(store.tail(LogFilter(tenant: "tenant-\(writer)"), limit: 1000).count == 100)
            }
        }
    }

    @Test("rotation keeps max_files files of whole lines, the newest ones")
    func rotationLimit() throws {
        try withLogsDirectory { directory throws in
            let store = TenantLogStore(directory: directory, settings: LogSettings(maxFileBytes: 4096, maxFiles: 3))
            for index in 0..<2000 {
                store.append(tenant: "t", pid: nil, level: "info", source: .log, message: "entry \(index)")
            }
            let files = store.files(of: "t")
            #expect(files.count == 3)
            for path in files {
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                #expect((attributes[.size] as? Int ?? 0) <= 4096)
            }
            let numbers = try storedLines(store, tenant: "t").map { Int($0.split(separator: " ").last ?? "") ?? -1 }
            #expect(numbers.last == 1999)
            #expect(numbers == Array((numbers.first ?? 0)...1999))
        }
    }

    @Test("a follower that falls behind gets a dropped-lines notice; the files keep every line")
    func slowFollower() async throws {
        try withLogsDirectory { directory throws in
            let store = TenantLogStore(directory: directory, settings: LogSettings(followerBuffer: 10))
            let follower = store.follow(LogFilter(tenant: "t"))
            for index in 0..<100 {
                store.append(tenant: "t", pid: nil, level: "info", source: .log, message: "entry \(index)")
            }
            #expect(store.counters()["t"]?.droppedByFollowers == 90)
            #expect(try storedLines(store, tenant: "t").count == 100)
            store.unfollow(follower)
        }
        let store = TenantLogStore(directory: nil, settings: LogSettings(followerBuffer: 10))
        let follower = store.follow(LogFilter(minimumLevel: "info"))
        for index in 0..<100 {
            store.append(tenant: "t", pid: nil, level: "info", source: .log, message: "entry \(index)")
        }
        var received: [LogFollower.Event] = []
        for _ in 0..<11 {
            guard case .event(let event) = await follower.next(timeout: .seconds(5)) else { break }
            received.append(event)
        }
        #expect(received.count == 11)
        #expect(received.last == .dropped(90))
        store.append(tenant: "t", pid: nil, level: "info", source: .log, message: "after catching up")
        guard case .event(.entry(let entry)) = await follower.next(timeout: .seconds(5)) else {
            Issue.record("no line after catching up")
            return
        }
        #expect(entry.message == "after catching up")
        #expect(await follower.next(timeout: .milliseconds(50)) == .idle)
        store.unfollow(follower)
        #expect(await follower.next(timeout: .seconds(5)) == .finished)
    }

    @Test("a tenant's status shows the log lines its followers dropped")
    func statusShowsDrops() async throws {
        let store = TenantLogStore(directory: nil, settings: LogSettings(followerBuffer: 10))
        let tenant = TenantConfiguration(id: "t", connector: "motopress", settings: [:])
        let environment = WorkerEnvironment(
            executable: "/nonexistent", databaseURL: "postgresql://127.0.0.1:1/x", heartbeatInterval: 1,
            shutdownGracePeriod: 1, logStore: store
        )
        let controller = TenantWorkerController(tenant: tenant, environment: environment, logger: Logger(label: "test"))
        #expect(await controller.status().droppedLogLines == 0)
        let follower = store.follow(LogFilter(tenant: "t"))
        for index in 0..<25 {
            store.append(tenant: "t", pid: nil, level: "info", source: .log, message: "entry \(index)")
        }
        #expect(await controller.status().droppedLogLines == 15)
        store.unfollow(follower)
    }

    @Test("when the disk falls behind, appends do not wait: lines are counted as dropped and a notice marks the gap")
    func boundedDiskBacklog() throws {
        try withLogsDirectory { directory throws in
            let store = TenantLogStore(directory: directory, settings: LogSettings(maxPendingWrites: 1))
            let total = 20_000
            for index in 0..<total {
                store.append(tenant: "t", pid: nil, level: "info", source: .log, message: "entry \(index)")
            }
            let lines = try storedLines(store, tenant: "t")
            let notices = lines.filter { $0.contains("[supervisor] dropped ") }
            let entries = lines.count - notices.count
            let dropped = Int(store.counters()["t"]?.droppedFromFiles ?? 0)
            #expect(entries + dropped == total)
            let noticed = notices.compactMap { line in
                line.firstMatch(of: /dropped (\d+) lines/).map { Int($0.1) ?? 0 }
            }.reduce(0, +)
            #expect(noticed <= dropped)
            #expect(store.tail(LogFilter(), limit: 1).first?.message == "entry \(total - 1)")
        }
    }
}
