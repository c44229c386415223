import Foundation
import IPC
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
}
