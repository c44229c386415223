import CurlHTTP
import DemoUpstreamKit
import Foundation
import IPC
import Postgres
import Support
import SyncEngine
import Testing
import TestSupport

@Suite("Reservations: multi-room bookings, trashed accommodations, blocks, filters, rates")
struct ReservationScenarioTests {
    /// Every booking the upstream lists, read directly: the reference the synced rows are compared to.
    /// Each booking's id and the units it reserves, in order.
    static func upstreamBookings(site: DemoSite, endpoint: DemoUpstreamEndpoint) throws -> [(id: Int, units: [Int])] {
        var bookings: [(id: Int, units: [Int])] = []
        var page = 1
        while true {
            let response = try CurlHTTPClient().perform(HTTPRequest(
                url: endpoint.motoPressBaseURL(site: site.name) + "/bookings?per_page=100&page=\(page)&orderby=id&order=asc",
                basicAuth: BasicAuth(user: site.consumerKey, password: site.consumerSecret)
            ))
            let array = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
            bookings += array.map { booking in
                let units = (booking["reserved_accommodations"] as? [[String: Any]] ?? []).compactMap { $0["accommodation"] as? Int }
                return (booking["id"] as? Int ?? 0, units)
            }
            if array.count < 100 { return bookings }
            page += 1
        }
    }

    @Test("a booking of several rooms becomes one row per reserved unit, each with its own unit and line number")
    func multiRoomBookings() async throws {
        let site = DemoSite(name: "hotel-multi", accommodations: 25, bookings: 300)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
                let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                #expect(result.status == .succeeded, "\(result.error ?? "")")
                let bookings = try await offPool { try Self.upstreamBookings(site: site, endpoint: endpoint) }
                let rooms = bookings.map(\.units.count)
                #expect(rooms.contains { $0 >= 2 })
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations") == rooms.reduce(0, +))
                let multi = try #require(bookings.first { $0.units.count >= 2 })
                let bookingID = multi.id
                let units = multi.units
                let connection = try PostgresConnection(url: url)
                let rows = try connection.query("""
                    SELECT r.line_number, a.external_id FROM reservations r JOIN accommodations a ON a.id = r.accommodation_unit_id
                    WHERE r.booking_id = $1 ORDER BY r.line_number
                    """, [.text(String(bookingID))]).rows
                #expect(rows.map { $0["line_number"] } == units.indices.map { String($0 + 1) })
                #expect(rows.map { $0["external_id"] } == units.map { String($0) })
                // Rates were synced first, so each line's rate resolves; imported blocks name no rate (0).
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM rates") > 0)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE rate_id IS NULL AND NOT is_block") == 0)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE rate_id IS NOT NULL") > 0)
            }
        }
    }

    @Test("a reservation naming a trashed accommodation is quarantined with a clear reason, never stored with a NULL unit")
    func trashedAccommodation() async throws {
        let site = DemoSite(name: "hotel-trash", accommodations: 10, trashedAccommodations: 2, bookings: 120)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
                let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                #expect(result.status == .succeeded, "\(result.error ?? "")")
                let bookings = try await offPool { try Self.upstreamBookings(site: site, endpoint: endpoint) }
                let lines = bookings.map(\.units.count).reduce(0, +)
                let quarantined = try await TestDatabase.scalar(url, """
                    SELECT count(*) FROM sync_rejects WHERE stream = 'reservations'
                    AND reason LIKE 'quarantined: accommodation % is not listed by the upstream (trashed or deleted there)'
                    """)
                #expect(quarantined >= 2)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations") + quarantined == lines)
                #expect(result.streams.last?.counts.rejected == quarantined)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE accommodation_unit_id IS NULL") == 0)
                // The quarantined line keeps the whole record for whoever restores the unit.
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_rejects WHERE stream = 'reservations' AND record ? 'reserved_accommodation'") == quarantined)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_rejects WHERE stream = 'reservations' AND external_id ~ '^[0-9]+/[0-9]+$'") == quarantined)

                // Syncing everything again quarantines the same lines: their rows are updated, not added.
                let firstSeen = try await TestDatabase.scalar(url, "SELECT (extract(epoch FROM max(last_seen_at)) * 1000000)::bigint FROM sync_rejects")
                for run in ["again", "and-again"] {
                    let again = try await offPool { try MotoPressSyncTests.sync(spec, runID: run, full: true) }.result
                    #expect(again.status == .succeeded, "\(again.error ?? "")")
                    #expect(again.streams.last?.counts.rejected == quarantined)
                }
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_rejects WHERE stream = 'reservations'") == quarantined)
                #expect(try await TestDatabase.scalar(url, """
                    SELECT count(*) FROM sync_rejects
                    WHERE stream = 'reservations' AND seen_count = 3 AND run_id = 'and-again'
                      AND (extract(epoch FROM last_seen_at) * 1000000)::bigint > $1 AND last_seen_at > created_at
                    """, [.text(String(firstSeen))]) == quarantined)

                // A line stored after all (its unit listed again) loses its quarantine row.
                let stored = try await TestDatabase.scalar(url, "SELECT min(booking_id) FROM reservations WHERE line_number = 1")
                _ = try PostgresConnection(url: url).query("""
                    INSERT INTO sync_rejects (tenant_id, stream, external_id, reason) VALUES ($1, 'reservations', $2, 'quarantined: earlier')
                    """, [.text(site.name), .text("\(stored)/1")])
                let restored = try await offPool { try MotoPressSyncTests.sync(spec, runID: "restored", full: true) }.result
                #expect(restored.status == .succeeded, "\(restored.error ?? "")")
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_rejects WHERE external_id = $1", [.text("\(stored)/1")]) == 0)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_rejects WHERE stream = 'reservations'") == quarantined)
            }
        }
    }

    @Test("all six statuses and imported blocks are kept by default; filters leave out cancelled and blocks")
    func statusesBlocksAndFilters() async throws {
        let site = DemoSite(name: "hotel-filter", accommodations: 12, bookings: 400)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
                _ = try await offPool { try MotoPressSyncTests.sync(spec) }
                let statuses = try PostgresConnection(url: url).query("SELECT DISTINCT status FROM reservations ORDER BY 1").rows.compactMap { $0["status"] }
                #expect(Set(statuses).isSubset(of: ["pending-user", "pending-payment", "pending", "abandoned", "confirmed", "cancelled"]))
                #expect(statuses.contains("cancelled"))
                let blocks = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE is_block")
                #expect(blocks > 0)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE is_block AND (customer_email IS NOT NULL OR total_price <> 0)") == 0)
                let all = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
                let cancelled = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE status = 'cancelled'")
                let cancelledBlocks = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE status = 'cancelled' AND is_block")

                try await TestDatabase.withDatabase { filtered in
                    let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: filtered,
                                                     extra: ["exclude_cancelled": "true", "exclude_blocks": "true"])
                    let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                    #expect(result.status == .succeeded)
                    #expect(try await TestDatabase.scalar(filtered, "SELECT count(*) FROM reservations WHERE status = 'cancelled' OR is_block") == 0)
                    #expect(try await TestDatabase.scalar(filtered, "SELECT count(*) FROM reservations") == all - cancelled - blocks + cancelledBlocks)
                }
                let bad = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: ["exclude_blocks": "maybe"])
                #expect(throws: SyncError.self) { try ConnectorRegistry.connector(for: bad) }
            }
        }
    }
}
