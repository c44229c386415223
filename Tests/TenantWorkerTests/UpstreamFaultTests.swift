import DemoUpstreamKit
import IPC
import Postgres
import Support
import SyncEngine
import Testing
import TestSupport

@Suite("MotoPress sync under injected upstream faults")
struct UpstreamFaultTests {
    /// Fast retries so a test with many injected faults still finishes in seconds.
    static let patient = ["max_attempts": "10", "retry_initial_ms": "1", "retry_max_ms": "20", "per_page": "20"]

    /// A fault, how to inject it, and whether one attempt alone must fail under it.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var faults: DemoUpstreamFaults
        var failsWithoutRetries = true
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "500s", faults: DemoUpstreamFaults(errorRate: 0.3, seed: 7)),
        Case(name: "429 bursts with Retry-After", faults: DemoUpstreamFaults(rateLimitRate: 0.2, rateLimitBurst: 3, retryAfterSeconds: 0, seed: 8)),
        Case(name: "truncated bodies", faults: DemoUpstreamFaults(truncateRate: 0.3, seed: 9)),
        Case(name: "connection resets mid-body", faults: DemoUpstreamFaults(resetRate: 0.3, seed: 10)),
        Case(name: "slow pages", faults: DemoUpstreamFaults(slowRate: 0.3, slowDelay: .milliseconds(100), seed: 11), failsWithoutRetries: false),
    ]

    @Test("each fault is retried: the run succeeds with exactly the clean run's rows", arguments: cases)
    func faultIsRetried(_ fault: Case) async throws {
        let site = DemoSite(name: "hotel-fault", accommodations: 30, bookings: 120)
        try await TestDatabase.withDatabase { clean in
            try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: clean, extra: Self.patient)
                let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                #expect(result.status == .succeeded, "\(result.error ?? "")")
            }
            var configuration = DemoUpstreamConfiguration(sites: [site])
            configuration.faults = fault.faults
            if fault.failsWithoutRetries {
                // The fault really happens: with a single attempt the run fails.
                try await TestDatabase.withDatabase { url in
                    try await DemoUpstreamServer.withRunningServer(configuration: configuration) { endpoint in
                        let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: Self.patient.merging(["max_attempts": "1", "concurrency": "1"]) { $1 })
                        let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                        #expect(result.status == .failed)
                    }
                }
            }
            try await TestDatabase.withDatabase { url in
                try await DemoUpstreamServer.withRunningServer(configuration: configuration) { endpoint in
                    let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: Self.patient)
                    let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                    #expect(result.status == .succeeded, "\(result.error ?? "")")
                    for table in ["accommodation_types", "accommodations", "rates", "reservations"] {
                        let expected = try await TestDatabase.scalar(clean, "SELECT count(*) FROM \(table)")
                        #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM \(table)") == expected, "\(table)")
                    }
                    let expectedRejects = try await TestDatabase.scalar(clean, "SELECT count(*) FROM sync_rejects")
                    #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_rejects") == expectedRejects)
                }
            }
        }
    }

    @Test("pages prefetched concurrently are committed in order and store exactly what sequential fetching stores")
    func concurrentPrefetchMatchesSequential() async throws {
        let site = DemoSite(name: "hotel-prefetch", accommodations: 40, bookings: 300)
        var configuration = DemoUpstreamConfiguration(sites: [site])
        configuration.faults = DemoUpstreamFaults(errorRate: 0.1, truncateRate: 0.1, seed: 21)
        try await DemoUpstreamServer.withRunningServer(configuration: configuration) { endpoint in
            var digests: [String] = []
            for concurrency in ["1", "4"] {
                try await TestDatabase.withDatabase { url in
                    let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url,
                                                     extra: Self.patient.merging(["concurrency": concurrency]) { $1 })
                    let (result, progress) = try await offPool { try MotoPressSyncTests.sync(spec) }
                    #expect(result.status == .succeeded, "\(result.error ?? "")")
                    let pages = progress.filter { $0.stream == "reservations" }.map(\.page)
                    #expect(pages == Array(1...15))
                    let digest = try PostgresConnection(url: url).query("""
                        SELECT md5(string_agg(booking_id || '/' || line_number || ':' || data::text, ',' ORDER BY booking_id, line_number)) FROM reservations
                        """).rows.first?[0]
                    digests.append(digest ?? "")
                }
            }
            #expect(digests[0] == digests[1] && !digests[0].isEmpty)
        }
    }

    @Test("a page that never parses fails the stream after retries with the URL and reason, committing nothing")
    func unparseablePageFailsTheStream() async throws {
        let site = DemoSite(name: "hotel-garbled", accommodations: 30, bookings: 20)
        var configuration = DemoUpstreamConfiguration(sites: [site])
        configuration.faults = DemoUpstreamFaults(truncateRate: 1, seed: 1)
        try await DemoUpstreamServer.withRunningServer(configuration: configuration) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: Self.patient.merging(["max_attempts": "3"]) { $1 })
                let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                #expect(result.status == .failed)
                let first = try #require(result.streams.first)
                #expect(first.status == .failed)
                #expect(first.error?.contains("/wp-json/mphb/v1/accommodation_types?page=1") == true, "\(first.error ?? "")")
                #expect(first.error?.contains("not valid JSON") == true)
                #expect(first.error?.contains("after 3 attempts") == true)
                #expect(result.streams.dropFirst().allSatisfy { $0.status == .skipped })
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM accommodation_types") == 0)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_checkpoints") == 0)
                #expect(!(first.error ?? "").contains(site.consumerSecret))
            }
        }
    }

    @Test("a malformed record goes to sync_rejects with its reason while the rest of its page is stored")
    func malformedRecordIsRejected() async throws {
        let site = DemoSite(name: "hotel-malformed", accommodations: 30, bookings: 50)
        var configuration = DemoUpstreamConfiguration(sites: [site])
        configuration.faults = DemoUpstreamFaults(malformedRecordRate: 1, seed: 1)
        try await DemoUpstreamServer.withRunningServer(configuration: configuration) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: Self.patient)
                let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                #expect(result.status == .succeeded, "\(result.error ?? "")")
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM accommodations") == 30)
                let accommodations = try #require(result.streams.first { $0.stream == "accommodations" })
                // 30 at 20 per page: two pages, each with one malformed record at its head.
                #expect(accommodations.counts.rejected == 2)
                #expect(accommodations.counts.created == 30)
                // Both are the same record without an id: one row, keyed by its hash, seen twice.
                let rejects = try await TestDatabase.scalar(url, """
                    SELECT sum(seen_count) FROM sync_rejects
                    WHERE stream = 'accommodations' AND reason = 'record has no integer "id"' AND record->>'malformed' = 'true'
                      AND external_id LIKE 'md5:%'
                    """)
                #expect(rejects == 2)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_rejects WHERE stream = 'accommodations'") == 1)
                let bookings = try await TestDatabase.scalar(url, "SELECT count(DISTINCT booking_id) FROM reservations")
                #expect(bookings == 50)
                // 50 bookings at 20 per page: three pages, three malformed records.
                #expect(result.streams.first { $0.stream == "reservations" }?.counts.rejected == 3)
            }
        }
    }
}
