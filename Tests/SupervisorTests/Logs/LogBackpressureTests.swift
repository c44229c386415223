import Foundation
import IPC
import Support
import Testing
@testable import SupervisorCore

@Suite("Worker log records wait for a disk writer that fell behind instead of being dropped")
struct LogBackpressureTests {
    @Test("4 readers × 5,000 records through a queue of 8 places: every record stored, in each reader's order, none dropped")
    func readersWaitForTheDisk() throws {
        try withLogsDirectory { directory throws in
            let store = TenantLogStore(directory: directory, settings: LogSettings(maxPendingWrites: 8))
            let tenants = (1...4).map { TenantConfiguration(id: "reader-\($0)", connector: "motopress", settings: [:]) }
            let perReader = 5_000
            DispatchQueue.concurrentPerform(iterations: tenants.count) { index in
                for line in 0..<perReader {
                    store.append(tenant: tenants[index], pid: 1, record: LogRecord(level: "info", message: "line \(line)"), waitForDisk: true)
                }
            }
            for tenant in tenants {
                let lines = try storedLines(store, tenant: tenant.id)
                #expect(lines.count == perReader)
                #expect(lines.map { $0.split(separator: " ").last.map(String.init) ?? "" } == (0..<perReader).map(String.init))
                #expect(store.counters()[tenant.id]?.droppedFromFiles == 0)
            }
        }
    }

    @Test("records offered to a full disk writer are refused, not stored, and taken once it wakes the caller: every record stored in order, none dropped")
    func offersRefusedUntilThereIsRoom() throws {
        try withLogsDirectory { directory throws in
            let store = TenantLogStore(directory: directory, settings: LogSettings(maxPendingWrites: 8))
            let tenants = (1...4).map { TenantConfiguration(id: "offer-\($0)", connector: "motopress", settings: [:]) }
            let perReader = 5_000
            let refusals = LockedValue(0)
            DispatchQueue.concurrentPerform(iterations: tenants.count) { index in
                for line in 0..<perReader {
                    let record = LogRecord(level: "info", message: "line \(line)")
                    while !store.offer(tenant: tenants[index], pid: 1, record: record) {
                        refusals.withLock { $0 += 1 }
                        let room = DispatchSemaphore(value: 0)
                        store.whenDiskHasRoom { room.signal() }
                        #expect(room.wait(timeout: .now() + 30) == .success, "woken within 30 s")
                    }
                }
            }
            #expect(refusals.withLock { $0 } > 0, "8 places for 4 writers: some offers are refused")
            for tenant in tenants {
                let lines = try storedLines(store, tenant: tenant.id)
                #expect(lines.count == perReader)
                #expect(lines.map { $0.split(separator: " ").last.map(String.init) ?? "" } == (0..<perReader).map(String.init))
                #expect(store.counters()[tenant.id]?.droppedFromFiles == 0)
                #expect(store.counters()[tenant.id]?.lines == UInt64(perReader), "a refused offer stores nothing")
            }
        }
    }
}
