import CurlHTTP
import IPC
import Logging
import Postgres
import SyncEngine
import Synchronization
import Testing
import TestSupport

/// A connector whose streams record the order they ran in and fail on demand.
final class ScriptedConnector: Connector {
    let streams: [StreamDefinition]
    let failing: Set<String>
    let ran = Mutex<[String]>([])

    init(streams: [StreamDefinition], failing: Set<String>) {
        self.streams = streams
        self.failing = failing
    }

    func sync(stream: StreamDefinition, context: SyncContext) throws(SyncError) -> StreamCounts {
        ran.withLock { $0.append(stream.name) }
        if failing.contains(stream.name) { throw SyncError(code: .upstream, message: "\(stream.name) exploded") }
        return StreamCounts(fetched: 1, created: 1)
    }
}

@Suite("Stream ordering and failure propagation")
struct StreamOrderTests {
    @Test("a failing middle stream skips only what depends on it, naming the parent")
    func middleFailure() async throws {
        try await TestDatabase.withDatabase(migrated: false) { url in
            let connector = ScriptedConnector(streams: [
                StreamDefinition(name: "grandchild", parents: ["child"]),
                StreamDefinition(name: "child", parents: ["root"]),
                StreamDefinition(name: "root"),
                StreamDefinition(name: "sibling", parents: ["root"]),
            ], failing: ["child"])
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let context = SyncContext(
                tenantID: "t", command: SyncCommand(runID: "r"), database: try PostgresConnection(url: url),
                http: CurlHTTPClient(), logger: logger, cancellation: CancellationFlag()
            ) { _, _, _, _ in }
            let result = SyncRunner(connector: connector).run(context: context)

            let ran = connector.ran.withLock { $0 }
            #expect(ran == ["root", "child", "sibling"])
            #expect(!ran.contains("grandchild"))
            let byName = Dictionary(uniqueKeysWithValues: result.streams.map { ($0.stream, $0) })
            #expect(byName["root"]?.status == .succeeded)
            #expect(byName["child"]?.status == .failed)
            #expect(byName["grandchild"]?.status == .skipped)
            #expect(byName["grandchild"]?.error?.contains("parent stream child") == true)
            #expect(byName["sibling"]?.status == .succeeded)
            #expect(result.status == .failed)
            #expect(result.error == "stream child failed: child exploded")
        }
    }

    @Test("parents are always ordered before children, whatever the declared order")
    func topologicalOrder() throws {
        let plan = try StreamPlan(streams: [
            StreamDefinition(name: "reservations", parents: ["accommodations"]),
            StreamDefinition(name: "accommodations", parents: ["accommodation_types"]),
            StreamDefinition(name: "accommodation_types"),
        ])
        #expect(plan.ordered.map(\.name) == ["accommodation_types", "accommodations", "reservations"])
    }

    @Test("a cycle or an unknown parent is a configuration error")
    func invalidPlans() {
        #expect(throws: SyncError.self) {
            try StreamPlan(streams: [StreamDefinition(name: "a", parents: ["b"]), StreamDefinition(name: "b", parents: ["a"])])
        }
        #expect(throws: SyncError.self) {
            try StreamPlan(streams: [StreamDefinition(name: "a", parents: ["ghost"])])
        }
    }
}
