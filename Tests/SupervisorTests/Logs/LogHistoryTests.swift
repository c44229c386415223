import Foundation
import IPC
import Testing
@testable import SupervisorCore

@Suite("Log history: tails past the in-memory ring read the rotated files")
struct LogHistoryTests {
    static let tenant = TenantConfiguration(id: "hotel-h", connector: "motopress", settings: [
        "base_url": "http://upstream.invalid/sites/hotel-h",
        "consumer_key": "ck_history_key_5678",
        "consumer_secret": "cs_history_secret_4321",
    ])
    /// A ring of 10 lines and 4 KiB files, so 200 lines span the ring and several rotated files.
    static let settings = LogSettings(maxFileBytes: 4096, maxFiles: 8, ringLines: 10)

    static func fill(_ store: TenantLogStore, count: Int) {
        for index in 0..<count {
            let level = index % 10 == 0 ? "warning" : "info"
            store.append(tenant: tenant.id, configuration: tenant, pid: 7, level: level, source: .log, message: "line \(index) secret=\(tenant.settings["consumer_secret"] ?? "")")
        }
    }

    static func indices(_ entries: [TenantLogEntry]) -> [Int] {
        entries.map { entry in Int(entry.message.split(separator: " ")[1]) ?? -1 }
    }

    @Test("lines=N past the ring: older lines from the files, newest file first, in order, none twice")
    func pastTheRing() throws {
        try withLogsDirectory { directory throws in
            let store = TenantLogStore(directory: directory, settings: Self.settings, tenants: [Self.tenant])
            Self.fill(store, count: 200)
            store.flush()
            #expect(try storedLines(store, tenant: Self.tenant.id).count == 200)
            #expect(store.files(of: Self.tenant.id).count > 2, "the lines should span rotated files")

            #expect(store.tail(LogFilter(tenant: Self.tenant.id), limit: 150).count == 10)
            let history = store.history(LogFilter(tenant: Self.tenant.id), limit: 150)
            #expect(Self.indices(history) == Array(50..<200))
            #expect(history.prefix(140).allSatisfy { $0.sequence == 0 }, "lines from the files carry no sequence")
            #expect(history.suffix(10).allSatisfy { $0.sequence > 0 }, "the ring's lines keep theirs")
            #expect(history.allSatisfy { !$0.message.contains("cs_history_secret_4321") })
            let fromFile = try #require(history.first)
            #expect(fromFile.pid == 7)
            #expect(fromFile.level == "warning")
            #expect(fromFile.tenant == Self.tenant.id)

            #expect(Self.indices(store.history(LogFilter(tenant: Self.tenant.id), limit: 5000)) == Array(0..<200))
            #expect(Self.indices(store.history(LogFilter(tenant: Self.tenant.id), limit: 4)) == Array(196..<200))
        }
    }

    @Test("level and grep filters apply to lines from the files too")
    func filtersOnFiles() throws {
        try withLogsDirectory { directory throws in
            let store = TenantLogStore(directory: directory, settings: Self.settings, tenants: [Self.tenant])
            Self.fill(store, count: 200)
            let warnings = store.history(LogFilter(tenant: Self.tenant.id, minimumLevel: "warning"), limit: 1000)
            #expect(Self.indices(warnings) == Array(stride(from: 0, to: 200, by: 10)))
            let grepped = store.history(LogFilter(tenant: Self.tenant.id, grep: "LINE 12"), limit: 1000)
            #expect(Self.indices(grepped) == [12, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129])
        }
    }

    @Test("after a restart the files still serve tails and since=, in JSON-lines format too")
    func afterRestart() throws {
        for format in [LogSettings.Format.text, .json] {
            try withLogsDirectory { directory throws in
                var settings = Self.settings
                settings.format = format
                let first = TenantLogStore(directory: directory, settings: settings, tenants: [Self.tenant])
                Self.fill(first, count: 120)
                first.append(tenant: Self.tenant.id, pid: 8, level: "error", runID: "run_9", stream: "bookings", source: .log, message: "last before restart", fields: ["sync.page": "4"])
                first.flush()

                let second = TenantLogStore(directory: directory, settings: settings, tenants: [Self.tenant])
                second.append(tenant: Self.tenant.id, configuration: Self.tenant, pid: 9, level: "notice", source: .supervisor, message: "worker spawned (pid 9)")
                let history = second.history(LogFilter(tenant: Self.tenant.id), limit: 30)
                #expect(history.count == 30)
                #expect(history.last?.message == "worker spawned (pid 9)")
                let carried = history[history.count - 2]
                #expect(carried.message.hasPrefix("last before restart"), "\(format)")
                #expect(carried.runID == "run_9")
                #expect(carried.stream == "bookings")
                #expect(carried.level == "error")
                if format == .json { #expect(carried.fields == ["sync.page": "4"]) }
                #expect(Self.indices(Array(history.prefix(28))) == Array(92..<120), "\(format)")

                // since= reaches back into the files and stops there.
                let since = history[10].timestamp
                let recent = second.history(LogFilter(tenant: Self.tenant.id, since: since), limit: 5000)
                #expect(recent.allSatisfy { $0.timestamp >= since })
                #expect(recent.count >= 20)
                #expect(recent.last?.message == "worker spawned (pid 9)")
                let future = second.history(LogFilter(tenant: Self.tenant.id, since: Date().addingTimeInterval(3600)), limit: 5000)
                #expect(future.isEmpty)
            }
        }
    }

    @Test("the merged history of all tenants keeps each tenant's order")
    func mergedTenants() throws {
        try withLogsDirectory { directory throws in
            let store = TenantLogStore(directory: directory, settings: Self.settings, tenants: [Self.tenant])
            for index in 0..<60 {
                store.append(tenant: index % 2 == 0 ? "even" : "odd", pid: 1, level: "info", source: .stderr, message: "line \(index)")
            }
            let merged = store.history(LogFilter(), limit: 60)
            #expect(merged.count == 60)
            #expect(Self.indices(merged.filter { $0.tenant == "even" }) == Array(stride(from: 0, to: 60, by: 2)))
            #expect(Self.indices(merged.filter { $0.tenant == "odd" }) == Array(stride(from: 1, to: 60, by: 2)))
        }
    }
}
