import Foundation
import IPC
import Testing
@testable import SupervisorCore

@Suite("Compact log lines: stored without decoding, exactly as the records they carry")
struct CompactLogStoreTests {
    static let tenant = TenantConfiguration(id: "hotel-c", connector: "motopress", settings: [
        "base_url": "http://upstream.invalid/sites/hotel-c",
        "consumer_key": "ck_compact_key_1234",
        "consumer_secret": "cs_compact_secret_987",
    ])

    /// Records of every kind: the plain ones a worker sends most, and each reason for the decoded path.
    static let records: [LogRecord] = [
        LogRecord(level: "info", message: "page written", runID: "run_1", stream: "bookings", fields: ["sync.page": "3", "rows": "100"]),
        LogRecord(level: "debug", message: "plain"),
        LogRecord(level: "warning", message: "retrying with consumer_secret=cs_compact_secret_987", fields: ["key": "ck_compact_key_1234"]),
        LogRecord(level: "notice", message: "Habitación doble — reserva nº 7"),
        LogRecord(level: "WARN", message: "a level spelled another way"),
        LogRecord(level: "error", message: "two\nlines and a back\\slash"),
        LogRecord(level: "info", message: String(repeating: "x", count: 400)),
        LogRecord(level: "critical", message: "tab\tinside", runID: "", stream: ""),
    ]

    /// The records' compact lines as one read of a pipe, and each line's range in it.
    static func read(of records: [LogRecord]) -> (bytes: [UInt8], lines: [Range<Int>]) {
        var bytes: [UInt8] = []
        var lines: [Range<Int>] = []
        for record in records {
            let line = CompactLogLine.encode(record)
            lines.append(bytes.count..<(bytes.count + line.count - 1))
            bytes += line
        }
        return (bytes, lines)
    }

    static func offer(_ records: [LogRecord], to store: TenantLogStore, pid: Int32 = 42) -> Bool {
        let (bytes, lines) = read(of: records)
        return bytes.withUnsafeBytes { buffer in
            let spans = lines.compactMap { CompactLogSpan(line: $0, in: buffer) }
            return store.offerCompact(tenant: tenant, pid: pid, bytes: buffer, lines: spans)
        }
    }

    /// A file line without its timestamp, which differs between two stores.
    static func unstamped(_ line: String) -> String { String(line.dropFirst(24)) }

    /// An entry with the sequence and timestamp two stores give differently set alike.
    static func comparable(_ entry: TenantLogEntry) -> TenantLogEntry {
        var entry = entry
        entry.sequence = 0
        entry.timestamp = Date(timeIntervalSince1970: 0)
        return entry
    }

    @Test("every kind of line is in the file, the ring and a follower exactly as the same record stored decoded")
    func sameAsDecoded() async throws {
        let settings = LogSettings(maxLineBytes: 256)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsync-compact-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let decodedDirectory = scratch + "/decoded", compactDirectory = scratch + "/compact"
        do {
            do {
                let databaseURL = "postgresql://sync:db_pass_4321@db.invalid/tenants"
                let decoded = TenantLogStore(directory: decodedDirectory, settings: settings, tenants: [Self.tenant], databaseURL: databaseURL)
                let compact = TenantLogStore(directory: compactDirectory, settings: settings, tenants: [Self.tenant], databaseURL: databaseURL)
                let follower = compact.follow(LogFilter(tenant: "hotel-c"))
                for record in Self.records {
                    #expect(decoded.offer(tenant: Self.tenant, pid: 42, record: record))
                }
                #expect(Self.offer(Self.records, to: compact))

                let decodedLines = try storedLines(decoded, tenant: "hotel-c").map(Self.unstamped)
                let compactLines = try storedLines(compact, tenant: "hotel-c").map(Self.unstamped)
                #expect(compactLines.count == Self.records.count)
                #expect(compactLines == decodedLines)
                #expect(compactLines.first == " hotel-c INFO  pid=42 run=run_1 stream=bookings page written rows=100 sync.page=3")

                let decodedRing = decoded.tail(LogFilter(tenant: "hotel-c"), limit: 100).map(Self.comparable)
                let compactRing = compact.tail(LogFilter(tenant: "hotel-c"), limit: 100).map(Self.comparable)
                #expect(compactRing == decodedRing)

                var followed: [TenantLogEntry] = []
                while followed.count < Self.records.count, case .event(.entry(let entry)) = await follower.next(timeout: .seconds(5)) {
                    followed.append(Self.comparable(entry))
                }
                #expect(followed == decodedRing)
                compact.unfollow(follower)

                let everything = try storedLines(compact, tenant: "hotel-c").joined(separator: "\n") + compactRing.map { $0.json() }.joined()
                for secret in ["cs_compact_secret_987", "ck_compact_key_1234"] {
                    #expect(!everything.contains(secret))
                }
                #expect(compact.counters()["hotel-c"]?.cutLines == 1)
            }
        }
    }

    @Test("sequences follow the order of the read, and the ring keeps the last lines")
    func orderAndRing() throws {
        let store = TenantLogStore(directory: nil, settings: LogSettings(ringLines: 60))
        let records = (1...120).map { LogRecord(level: "info", message: "line \($0)") }
        #expect(Self.offer(Array(records[..<70]), to: store))
        store.append(tenant: "hotel-c", pid: 42, level: "info", source: .stderr, message: "from stderr")
        #expect(Self.offer(Array(records[70...]), to: store))
        let tail = store.tail(LogFilter(tenant: "hotel-c"), limit: 1000)
        #expect(tail.map(\.message) == (62...70).map { "line \($0)" } + ["from stderr"] + (71...120).map { "line \($0)" })
        #expect(zip(tail, tail.dropFirst()).allSatisfy { $1.sequence == $0.sequence + 1 })
    }
}
