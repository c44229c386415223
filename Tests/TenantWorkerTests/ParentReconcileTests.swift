import DemoUpstreamKit
import IPC
import Postgres
import Support
@testable import SyncEngine
import Testing
import TestSupport

/// ``MotoPressWriter/reconcileLinesWithParents(on:)`` against a real PostgreSQL: what reaches stored
/// lines when a parent the upstream listed is gone.
@Suite("Parents that are gone reach their stored lines")
struct ParentReconcileTests {
    @Test("a type that is no longer listed withdraws the lines on its units, saying so; with every parent listed nothing moves")
    func goneTypeReachesItsLines() async throws {
        let site = DemoSite(name: "hotel-type", accommodations: 8, bookings: 120)
        try await UpstreamChangeTests.withSite(site) { _, endpoint, url in
            let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
            #expect(try await offPool { try MotoPressSyncTests.sync(spec, runID: "first") }.result.status == .succeeded)
            let writer = MotoPressWriter(tenantID: site.name, runID: "reconcile")
            let reconcile = { @Sendable () throws -> StreamCounts in
                let connection = try PostgresConnection(url: url)
                try TenantSession.bind(connection, tenantID: site.name)
                return try connection.withTransaction { try writer.reconcileLinesWithParents(on: $0) }
            }
            let untouched = try await offPool { try reconcile() }
            #expect(untouched.deleted == 0)

            let type = try await TestDatabase.scalar(url, """
                SELECT at.external_id FROM accommodation_types at
                JOIN accommodations a ON a.accommodation_type_id = at.id JOIN reservations r ON r.accommodation_unit_id = a.id
                GROUP BY at.external_id ORDER BY count(*) DESC, at.external_id LIMIT 1
                """)
            let onType = try await TestDatabase.scalar(url, """
                SELECT count(*) FROM reservations r JOIN accommodations a ON a.id = r.accommodation_unit_id
                JOIN accommodation_types at ON at.id = a.accommodation_type_id WHERE at.external_id = $1 AND r.deleted_at IS NULL
                """, [.text(String(type))])
            #expect(onType > 0)
            // As the accommodation types stream marks a type the upstream no longer lists.
            _ = try await TestDatabase.scalar(url, """
                WITH gone AS (UPDATE accommodation_types SET deleted_at = now() WHERE external_id = $1 RETURNING 1) SELECT count(*) FROM gone
                """, [.text(String(type))])

            let withdrawn = try await offPool { try reconcile() }
            #expect(withdrawn.deleted == onType)
            let reasons = try UpstreamChangeTests.quarantine(url).values
            #expect(reasons.count == onType)
            #expect(reasons.allSatisfy { $0.hasPrefix("quarantined: accommodation type \(type) of accommodation ") })
            #expect(try await TestDatabase.scalar(url, """
                SELECT count(*) FROM reservations r JOIN accommodations a ON a.id = r.accommodation_unit_id
                JOIN accommodation_types at ON at.id = a.accommodation_type_id WHERE r.deleted_at IS NULL AND at.deleted_at IS NOT NULL
                """) == 0)
        }
    }
}
