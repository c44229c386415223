import DemoUpstreamKit
import IPC
import Postgres
import Support
import SyncEngine
import Testing
import TestSupport

@Suite("Estimates connector against the demo upstream")
struct EstimatesSyncTests {
    @Test("1,609 estimates: 17 pages, the 17th short; a second run reports them unchanged")
    func fullSync() async throws {
        let site = DemoSite(name: "est-full", estimates: 1_609)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.estimates(site: site, endpoint: endpoint, databaseURL: url)
                let (result, progress) = try await offPool { try MotoPressSyncTests.sync(spec) }
                #expect(result.status == .succeeded, "\(result.error ?? "")")
                #expect(progress.map(\.page) == Array(1...17))
                #expect(result.streams.first?.counts.created == 1_609)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM estimates") == 1_609)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM estimates WHERE upstream_created_at IS NULL OR total IS NULL") == 0)

                let again = try await offPool { try MotoPressSyncTests.sync(spec, runID: "again") }.result
                #expect(again.streams.first?.counts.created == 0)
                #expect(again.streams.first?.counts.updated == 0)
                #expect(again.streams.first?.counts.unchanged == 1_609)
            }
        }
    }

    @Test("a full pass marks a stored estimate the upstream no longer lists deleted, and only that one")
    func fullPassMarksUnlistedDeleted() async throws {
        let site = DemoSite(name: "est-gone", estimates: 250)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.estimates(site: site, endpoint: endpoint, databaseURL: url)
                #expect(try await offPool { try MotoPressSyncTests.sync(spec) }.result.status == .succeeded)
                // An estimate stored earlier that the upstream lists no more (deleted there since).
                let tenant = try await TestDatabase.text(url, "SELECT min(tenant_id) FROM estimates")
                _ = try await TestDatabase.scalar(url, """
                    WITH planted AS (INSERT INTO estimates (tenant_id, external_id, data) VALUES ($1, 'gone-upstream', '{}') RETURNING 1)
                    SELECT count(*) FROM planted
                    """, [.text(tenant)])

                let again = try await offPool { try MotoPressSyncTests.sync(spec, runID: "again") }.result
                #expect(again.status == .succeeded, "\(again.error ?? "")")
                #expect(again.streams.first?.counts.deleted == 1)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM estimates WHERE external_id = 'gone-upstream' AND deleted_at IS NOT NULL") == 1)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM estimates WHERE deleted_at IS NULL") == 250)
            }
        }
    }

    @Test("exactly 100 on the last full page: an empty page ends the stream", arguments: [100, 200])
    func exactMultipleOfPageSize(count: Int) async throws {
        let site = DemoSite(name: "est-exact", estimates: count)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.estimates(site: site, endpoint: endpoint, databaseURL: url)
                let (result, progress) = try await offPool { try MotoPressSyncTests.sync(spec) }
                #expect(result.status == .succeeded, "\(result.error ?? "")")
                #expect(progress.map(\.page) == Array(1...(count / 100 + 1)))
                #expect(progress.last?.counts.fetched == count)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM estimates") == count)
            }
        }
    }

    @Test("zero estimates: one empty page, success, nothing stored")
    func noEstimates() async throws {
        let site = DemoSite(name: "est-empty", estimates: 0)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.estimates(site: site, endpoint: endpoint, databaseURL: url)
                let (result, progress) = try await offPool { try MotoPressSyncTests.sync(spec) }
                #expect(result.status == .succeeded, "\(result.error ?? "")")
                #expect(progress.map(\.page) == [1])
                #expect(result.streams.first?.counts == StreamCounts())
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_checkpoints WHERE completed_mark IS NOT NULL") == 1)
            }
        }
    }

    @Test("an expired token is renewed once by logging in again; a wrong password fails as authentication")
    func tokenExpiry() async throws {
        let site = DemoSite(name: "est-token", estimates: 450)
        var configuration = DemoUpstreamConfiguration(sites: [site])
        configuration.estimatesTokenLifetime = 2
        try await DemoUpstreamServer.withRunningServer(configuration: configuration) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.estimates(site: site, endpoint: endpoint, databaseURL: url)
                let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                #expect(result.status == .succeeded, "\(result.error ?? "")")
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM estimates") == 450)

                let wrong = DemoTenants.estimates(site: site, endpoint: endpoint, databaseURL: url, password: "pw_not_the_password")
                let failed = try await offPool { try MotoPressSyncTests.sync(wrong) }.result
                #expect(failed.status == .failed)
                #expect(failed.streams.first?.error?.contains("401") == true)
                #expect(!(failed.error ?? "").contains("pw_not_the_password"))
            }
        }
    }

    @Test("start_date and end_date limit the pass to estimates created in that range, and no deletions are inferred")
    func dateRange() async throws {
        let site = DemoSite(name: "est-range", estimates: 600)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.estimates(site: site, endpoint: endpoint, databaseURL: url)
                _ = try await offPool { try MotoPressSyncTests.sync(spec) }
                let connection = try PostgresConnection(url: url)
                let bounds = try #require(try connection.query("""
                    SELECT to_char(percentile_disc(0.25) WITHIN GROUP (ORDER BY upstream_created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS a,
                           to_char(percentile_disc(0.5) WITHIN GROUP (ORDER BY upstream_created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS b
                    FROM estimates
                    """).rows.first)
                let start = try #require(bounds["a"]), end = try #require(bounds["b"])
                let expected = try await TestDatabase.scalar(url, """
                    SELECT count(*) FROM estimates WHERE (upstream_created_at AT TIME ZONE 'UTC')::date BETWEEN $1::date AND $2::date
                    """, [.text(start), .text(end)])
                let ranged = try await offPool { try MotoPressSyncTests.sync(spec, runID: "ranged", startDate: start, endDate: end) }.result
                #expect(ranged.status == .succeeded, "\(ranged.error ?? "")")
                #expect(ranged.streams.first?.counts.fetched == expected)
                #expect(expected > 0 && expected < 600)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM estimates WHERE deleted_at IS NOT NULL") == 0)

                let bad = DemoTenants.estimates(site: site, endpoint: endpoint, databaseURL: url, extra: ["start_date": "01/02/2025"])
                #expect(throws: SyncError.self) { try ConnectorRegistry.connector(for: bad) }
            }
        }
    }
}

@Suite("Estimates connector under injected upstream faults")
struct EstimatesFaultTests {
    @Test("500s, 429 bursts, truncated pages and resets are retried; malformed records are rejected; exact counts")
    func faultsAreRetried() async throws {
        let site = DemoSite(name: "est-faults", estimates: 450)
        var configuration = DemoUpstreamConfiguration(sites: [site])
        configuration.faults = DemoUpstreamFaults(
            errorRate: 0.15, rateLimitRate: 0.1, rateLimitBurst: 2, retryAfterSeconds: 0, truncateRate: 0.15, resetRate: 0.1, seed: 5
        )
        try await DemoUpstreamServer.withRunningServer(configuration: configuration) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.estimates(site: site, endpoint: endpoint, databaseURL: url,
                                                 extra: ["max_attempts": "10", "retry_initial_ms": "1", "retry_max_ms": "20"])
                let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                #expect(result.status == .succeeded, "\(result.error ?? "")")
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM estimates") == 450)
                #expect(result.streams.first?.counts.created == 450)
            }
        }
        var malformed = DemoUpstreamConfiguration(sites: [site])
        malformed.faults = DemoUpstreamFaults(malformedRecordRate: 1, seed: 1)
        try await DemoUpstreamServer.withRunningServer(configuration: malformed) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.estimates(site: site, endpoint: endpoint, databaseURL: url)
                let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                #expect(result.status == .succeeded, "\(result.error ?? "")")
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM estimates") == 450)
                // Every page carries one malformed record at its head: at least the five pages of 450.
                #expect(try await TestDatabase.scalar(url, "SELECT sum(seen_count) FROM sync_rejects WHERE stream = 'estimates' AND reason = 'record has no string \"id\"'") == result.streams.first?.counts.rejected)
                #expect((result.streams.first?.counts.rejected ?? 0) >= 5)
            }
        }
    }
}
