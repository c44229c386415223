import Dispatch
import Postgres
@testable import SyncEngine
import Support
import Synchronization
import Testing
import TestSupport

/// The batch writer against a real PostgreSQL: two batches at once on two connections, committed in order.
@Suite("Batches written two at a time, committed in order", .timeLimit(.minutes(2)))
struct OrderedBatchWriterTests {
    private struct NeverHappened: Error, CustomStringConvertible {
        let description: String
    }

    /// How long a batch waits for the other to reach a point before the test calls it a failure.
    private static var patience: DispatchTime { .now() + 30 }

    /// Runs `body` off the pool with a database holding `batch_rows (batch, key, seen_before)`.
    private static func withTable(_ body: @escaping @Sendable (String) throws -> Void) async throws {
        try await TestDatabase.withDatabase(migrated: false) { url in
            try await offPool {
                try PostgresConnection(url: url).execute(
                    "CREATE TABLE batch_rows (key integer PRIMARY KEY, batch integer NOT NULL, seen_before integer)"
                )
                try body(url)
            }
        }
    }

    private static func count(_ sql: String, on connection: PostgresConnection) throws -> Int {
        try connection.query(sql).rows.first?.decode(Int.self, "count") ?? -1
    }

    @Test("a batch that may overlap runs while the one before it is open, and commits after it, seeing it")
    func overlapsAndCommitsInOrder() async throws {
        try await Self.withTable { url in
            let writer = OrderedBatchWriter(connection: try PostgresConnection(url: url), secondConnection: { try? PostgresConnection(url: url) })
            let secondWrote = DispatchSemaphore(value: 0)
            let committed = Mutex<[Int]>([])
            let backends = Mutex<[Int32]>([])
            try writer.submit(what: "batch 1", mayOverlap: false, { connection, slot in
                backends.withLock { $0.append(connection.serverPID) }
                try connection.query("INSERT INTO batch_rows VALUES (1, 1)")
                // Batch 1 stays open until batch 2 has written: both get here only if they run at once.
                guard secondWrote.wait(timeout: Self.patience) == .success else {
                    throw NeverHappened(description: "batch 2 did not run while batch 1 was open")
                }
                try slot.waitForEarlierBatches(on: connection)
                return 1
            }, afterCommit: { batch in committed.withLock { $0.append(batch) } })
            try writer.submit(what: "batch 2", mayOverlap: true, { connection, slot in
                backends.withLock { $0.append(connection.serverPID) }
                try connection.query("INSERT INTO batch_rows VALUES (2, 2)")
                secondWrote.signal()
                try slot.waitForEarlierBatches(on: connection)
                let seen = try Self.count("SELECT count(*) FROM batch_rows WHERE batch = 1", on: connection)
                try connection.query("UPDATE batch_rows SET seen_before = $1::integer WHERE key = 2", [.text(String(seen))])
                return 2
            }, afterCommit: { batch in committed.withLock { $0.append(batch) } })
            try writer.finish()

            #expect(committed.withLock { $0 } == [1, 2])
            #expect(Set(backends.withLock { $0 }).count == 2)
            let check = try PostgresConnection(url: url)
            #expect(try Self.count("SELECT count(*) FROM batch_rows WHERE key = 2 AND seen_before = 1", on: check) == 1)
        }
    }

    @Test("a batch holding a row the batch before it waits for gives way, and runs again after it")
    func givesWayOnACommonRow() async throws {
        try await Self.withTable { url in
            let writer = OrderedBatchWriter(connection: try PostgresConnection(url: url), secondConnection: { try? PostgresConnection(url: url) })
            let secondWrote = DispatchSemaphore(value: 0)
            let committed = Mutex<[Int]>([])
            let attempts = Atomic<Int>(0)
            let upsert = "INSERT INTO batch_rows VALUES (7, $1::integer) ON CONFLICT (key) DO UPDATE SET batch = excluded.batch"
            try writer.submit(what: "batch 1", mayOverlap: false, { connection, slot in
                guard secondWrote.wait(timeout: Self.patience) == .success else {
                    throw NeverHappened(description: "batch 2 did not run while batch 1 was open")
                }
                // Waits for batch 2's uncommitted row, while batch 2 waits for this batch to commit.
                try connection.query(upsert, [.text("1")])
                try slot.waitForEarlierBatches(on: connection)
                return 1
            }, afterCommit: { batch in committed.withLock { $0.append(batch) } })
            try writer.submit(what: "batch 2", mayOverlap: true, { connection, slot in
                attempts.add(1, ordering: .relaxed)
                try connection.query(upsert, [.text("2")])
                secondWrote.signal()
                try slot.waitForEarlierBatches(on: connection)
                return 2
            }, afterCommit: { batch in committed.withLock { $0.append(batch) } })
            try writer.finish()

            #expect(committed.withLock { $0 } == [1, 2])
            #expect(attempts.load(ordering: .relaxed) == 2)
            let check = try PostgresConnection(url: url)
            #expect(try Self.count("SELECT count(*) FROM batch_rows WHERE key = 7 AND batch = 2", on: check) == 1)
        }
    }

    @Test("when a batch fails, the batch running beside it rolls back and the first error is thrown")
    func laterBatchRollsBackAfterAFailure() async throws {
        try await Self.withTable { url in
            let writer = OrderedBatchWriter(connection: try PostgresConnection(url: url), secondConnection: { try? PostgresConnection(url: url) })
            let secondWrote = DispatchSemaphore(value: 0)
            let committed = Mutex<[Int]>([])
            try writer.submit(what: "batch 1", mayOverlap: false, { connection, _ in
                try connection.query("INSERT INTO batch_rows VALUES (1, 1)")
                _ = secondWrote.wait(timeout: Self.patience)
                throw SyncError(code: .badPayload, message: "page 3 is not JSON")
            }, afterCommit: { committed.withLock { $0.append(1) } })
            try writer.submit(what: "batch 2", mayOverlap: true, { connection, slot in
                try connection.query("INSERT INTO batch_rows VALUES (2, 2)")
                secondWrote.signal()
                try slot.waitForEarlierBatches(on: connection)
                return 2
            }, afterCommit: { batch in committed.withLock { $0.append(batch) } })

            #expect(throws: SyncError.self) { try writer.finish() }
            #expect(writer.error?.message == "page 3 is not JSON")
            #expect(committed.withLock { $0 }.isEmpty)
            let check = try PostgresConnection(url: url)
            #expect(try Self.count("SELECT count(*) FROM batch_rows", on: check) == 0)
            // A batch submitted after the failure is dropped with the same error.
            #expect(throws: SyncError.self) {
                try writer.submit(what: "batch 3", mayOverlap: true, { _, _ in 3 }, afterCommit: { batch in committed.withLock { $0.append(batch) } })
            }
        }
    }

    @Test("without a second connection every batch is written on the first, one after another")
    func oneConnectionWhenNoSecond() async throws {
        try await Self.withTable { url in
            let writer = OrderedBatchWriter(connection: try PostgresConnection(url: url), secondConnection: { nil })
            let backends = Mutex<[Int32]>([])
            for batch in 1...3 {
                try writer.submit(what: "batch \(batch)", mayOverlap: true, { connection, slot in
                    backends.withLock { $0.append(connection.serverPID) }
                    try slot.waitForEarlierBatches(on: connection)
                    // Each batch sees every one before it.
                    let before = try Self.count("SELECT count(*) FROM batch_rows", on: connection)
                    try connection.query("INSERT INTO batch_rows VALUES ($1::integer, $1::integer, $2::integer)", [.text(String(batch)), .text(String(before))])
                    return batch
                }, afterCommit: { _ in })
            }
            try writer.finish()

            #expect(Set(backends.withLock { $0 }).count == 1)
            let check = try PostgresConnection(url: url)
            #expect(try Self.count("SELECT count(*) FROM batch_rows WHERE seen_before = key - 1", on: check) == 3)
        }
    }
}
