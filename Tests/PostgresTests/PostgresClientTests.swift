import Foundation
@testable import Postgres
import Synchronization
import Testing

@Suite("PostgresClient")
struct PostgresClientTests {
    @Test func parallelCallsShareAtMostMaximumConnections() async throws {
        try await withTestDatabase { url in
            let client = PostgresClient(url: url, maximumConnections: 3)
            defer { client.shutdown() }
            let calls = 60
            let results = try await withThrowingTaskGroup(of: (Int32, Bool).self) { group in
                for index in 0..<calls {
                    group.addTask {
                        try await client.withConnection { connection in
                            let row = try connection.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.005), $1::int AS i", [.int(index)]).rows[0]
                            #expect(try row.decode(Int.self, "i") == index)
                            return (try row.decode(Int32.self, "pid"), WorkerPool.isWorkerThread)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == calls)
            let pids = Set(results.map(\.0))
            #expect((1...3).contains(pids.count))
            let onPoolThreads = results.allSatisfy { $0.1 }
            #expect(onPoolThreads, "every body runs on one of the client's own threads")
        }
    }

    @Test func reconnectsAfterTheBackendIsTerminated() async throws {
        try await withTestDatabase { url in
            let client = PostgresClient(url: url, maximumConnections: 1)
            defer { client.shutdown() }
            let firstPID = try await client.withConnection { $0.serverPID }
            let admin = try PostgresConnection(url: url)
            try terminateBackend(firstPID, using: admin)

            let (secondPID, one) = try await client.withConnection { connection in
                (connection.serverPID, try connection.query("SELECT 1").rows.first?[0])
            }
            #expect(one == "1")
            #expect(secondPID != firstPID)
        }
    }

    @Test func aBodyThatLosesItsConnectionIsNotRetriedAndTheNextCallReconnects() async throws {
        try await withTestDatabase { url in
            let client = PostgresClient(url: url, maximumConnections: 1)
            defer { client.shutdown() }
            let runs = Atomic<Int>(0)
            let error = try await #require(throws: PostgresError.self) {
                try await client.withConnection { connection in
                    runs.add(1, ordering: .relaxed)
                    try terminateBackend(connection.serverPID, using: try PostgresConnection(url: url))
                    return try connection.query("SELECT 1").rows.count
                }
            }
            #expect(error.isConnectionError)
            let runCount = runs.load(ordering: .relaxed)
            #expect(runCount == 1)
            #expect(try await client.withConnection { try $0.query("SELECT 1").rows.count } == 1)
        }
    }

    @Test func aTransactionLeftOpenByABodyIsRolledBack() async throws {
        try await withTestDatabase { url in
            let client = PostgresClient(url: url, maximumConnections: 1)
            defer { client.shutdown() }
            try await client.withConnection { connection in
                try connection.execute("CREATE TABLE t (x int)")
                try connection.execute("BEGIN; INSERT INTO t VALUES (1);")
            }
            let count = try await client.withConnection { connection in
                try connection.query("SELECT count(*) FROM t").rows.first?[0]
            }
            #expect(count == "0")
        }
    }

    @Test func errorsFromTheBodyReachTheCaller() async throws {
        try await withTestDatabase { url in
            let client = PostgresClient(url: url, maximumConnections: 2)
            defer { client.shutdown() }
            let error = try await #require(throws: PostgresError.self) {
                try await client.withConnection { try $0.query("SELECT * FROM missing_table") }
            }
            #expect(error.sqlState == "42P01")
        }
    }

    @Test func aServerThatIsDownFailsWithoutRunningTheBody() async throws {
        let client = PostgresClient(url: "postgresql://postgres:supersecret@127.0.0.1:1/postgres?connect_timeout=5")
        defer { client.shutdown() }
        let ran = Atomic<Bool>(false)
        let error = try await #require(throws: PostgresError.self) {
            try await client.withConnection { _ in ran.store(true, ordering: .relaxed) }
        }
        #expect(error.code == .connectionFailed)
        #expect(!error.description.contains("supersecret"))
        let bodyRan = ran.load(ordering: .relaxed)
        #expect(!bodyRan)
    }

    @Test func shutdownClosesConnectionsAndRefusesWork() async throws {
        try await withTestDatabase { url in
            let client = PostgresClient(url: url, maximumConnections: 2)
            _ = try await client.withConnection { $0.serverPID }
            let admin = try PostgresConnection(url: url)
            let others = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            #expect(try admin.query(others).rows.first?[0] == "1")

            client.shutdown()
            let error = try await #require(throws: PostgresError.self) {
                try await client.withConnection { $0.serverPID }
            }
            #expect(error.code == .clientShutdown)

            var remaining: String?
            for _ in 0..<500 {
                remaining = try admin.query(others).rows.first?[0]
                if remaining == "0" {
                    break
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(remaining == "0")
        }
    }
}
