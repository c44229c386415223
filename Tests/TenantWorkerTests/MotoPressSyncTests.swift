import CurlHTTP
import DemoUpstreamKit
import IPC
import Logging
import Postgres
import Support
import SyncEngine
import Synchronization
import Testing
import TestSupport

@Suite("MotoPress sync against the demo upstream and a real PostgreSQL")
struct MotoPressSyncTests {
    /// Runs one sync of `spec` in-process, collecting progress, and returns the result.
    static func sync(
        _ spec: TenantSpec, runID: String = "run-test", full: Bool = false, cancellation: CancellationFlag = CancellationFlag(),
        startDate: String? = nil, endDate: String? = nil, progress onProgress: @escaping @Sendable (SyncProgress) -> Void = { _ in }
    ) throws -> (result: RunResult, progress: [SyncProgress]) {
        let connector = try ConnectorRegistry.connector(for: spec)
        let database = try PostgresConnection(url: spec.databaseURL)
        try TenantSession.bind(database, tenantID: spec.id)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let progress = Mutex<[SyncProgress]>([])
        let order = try StreamPlan(streams: connector.streams).ordered.map(\.name)
        let context = SyncContext(
            tenantID: spec.id, command: SyncCommand(runID: runID, full: full, startDate: startDate, endDate: endDate),
            database: database, http: CurlHTTPClient(), logger: logger, cancellation: cancellation,
            // As the worker does: a second connection, so batches are written two at a time.
            connect: {
                let connection = try PostgresConnection(url: spec.databaseURL)
                try TenantSession.bind(connection, tenantID: spec.id)
                return connection
            }
        ) { stream, page, pages, counts in
            let step = (order.firstIndex(of: stream) ?? -1) + 1
            let update = SyncProgress(runID: runID, stream: stream, step: step, steps: order.count, page: page, pages: pages, counts: counts)
            progress.withLock { $0.append(update) }
            onProgress(update)
        }
        let result = SyncRunner(connector: connector).run(context: context)
        return (result, progress.withLock { $0 })
    }

    @Test("streams run parents first; no reservation lacks its accommodation; counts match the upstream")
    func orderedFullSync() async throws {
        let site = DemoSite(name: "hotel-order", accommodations: 30, bookings: 240)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
                let (result, progress) = try await offPool { try Self.sync(spec) }

                #expect(result.status == .succeeded, "\(result.error ?? "")")
                #expect(result.streams.map(\.stream) == ["accommodation_types", "accommodations", "rates", "reservations"])
                // Progress never goes back to an earlier stream: parents finish before children start.
                let steps = progress.map(\.step)
                #expect(steps == steps.sorted())
                #expect(Set(progress.map(\.stream)) == ["accommodation_types", "accommodations", "rates", "reservations"])

                let accommodations = try await TestDatabase.scalar(url, "SELECT count(*) FROM accommodations WHERE tenant_id = $1", [.text(site.name)])
                #expect(accommodations == 30)
                #expect(result.streams[1].counts.created == 30)
                let bookings = try await TestDatabase.scalar(url, "SELECT count(DISTINCT booking_id) FROM reservations WHERE tenant_id = $1", [.text(site.name)])
                #expect(bookings == 240)
                let nullUnits = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE accommodation_unit_id IS NULL")
                #expect(nullUnits == 0)
                let lines = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
                let reservations = result.streams[3].counts
                #expect(reservations.created == lines)
                #expect(reservations.fetched == reservations.created + reservations.rejected)
                // Every reservation's unit belongs to the same tenant.
                let foreign = try await TestDatabase.scalar(url, """
                    SELECT count(*) FROM reservations r JOIN accommodations a ON a.id = r.accommodation_unit_id
                    WHERE a.tenant_id <> r.tenant_id
                    """)
                #expect(foreign == 0)
            }
        }
    }

    @Test("a second full sync with nothing changed creates nothing and rewrites nothing; an incremental one fetches no bookings")
    func secondSyncIsUnchanged() async throws {
        let site = DemoSite(name: "hotel-again", accommodations: 12, bookings: 130)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
                let first = try await offPool { try Self.sync(spec, runID: "first") }.result
                #expect(first.status == .succeeded)
                let updatedAtBefore = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE updated_at = created_at")

                let incremental = try await offPool { try Self.sync(spec, runID: "incremental") }.result
                #expect(incremental.status == .succeeded)
                // The demo never modifies a booking: nothing was modified after the first pass's high-water mark.
                #expect(incremental.streams.first { $0.stream == "reservations" }?.counts.fetched == 0)

                let second = try await offPool { try Self.sync(spec, runID: "second", full: true) }.result
                #expect(second.status == .succeeded)
                for stream in second.streams {
                    #expect(stream.counts.created == 0, "\(stream.stream)")
                    #expect(stream.counts.updated == 0, "\(stream.stream)")
                    #expect(stream.counts.unchanged == first.streams.first { $0.stream == stream.stream }!.counts.created, "\(stream.stream)")
                }
                let updatedAtAfter = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE updated_at = created_at")
                #expect(updatedAtAfter == updatedAtBefore)
            }
        }
    }

    @Test("a changed upstream record is counted as updated, the rest unchanged")
    func changedRecordIsUpdated() async throws {
        let site = DemoSite(name: "hotel-change", accommodations: 6, bookings: 20)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
                _ = try await offPool { try Self.sync(spec) }
                // Make one stored accommodation differ from the upstream, as if the upstream had changed it.
                let connection = try PostgresConnection(url: url)
                _ = try connection.query("""
                    UPDATE accommodations SET data = jsonb_set(data, '{title}', '"renamed"')
                    WHERE id = (SELECT min(id) FROM accommodations)
                    """)
                let again = try await offPool { try Self.sync(spec) }.result
                let accommodations = try #require(again.streams.first { $0.stream == "accommodations" })
                #expect(accommodations.counts.updated == 1)
                #expect(accommodations.counts.unchanged == 5)
            }
        }
    }

    @Test("when the first stream fails, its children are skipped and the result says why")
    func failingParentSkipsChildren() async throws {
        let site = DemoSite(name: "hotel-badkey", accommodations: 4, bookings: 5)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, secret: "cs_wrong_secret_value")
                let result = try await offPool { try Self.sync(spec) }.result
                #expect(result.status == .failed)
                #expect(result.streams.map(\.status) == [.failed, .skipped, .skipped, .skipped])
                #expect(result.streams[0].error?.contains("401") == true)
                #expect(result.streams[1].error?.contains("parent stream accommodation_types") == true)
                #expect(result.streams[2].error?.contains("parent stream accommodation_types") == true)
                #expect(result.streams[3].error?.contains("parent stream accommodations") == true)
                #expect(result.error?.contains("accommodation_types") == true)
                // The secret never appears in what the result reports.
                #expect(!(result.error ?? "").contains("cs_wrong_secret_value"))
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations") == 0)
            }
        }
    }
}
