import DemoUpstreamKit
import Foundation
import IPC
import Postgres
import Support
import SyncEngine
import Testing
import TestSupport

/// A site that changes between and during syncs, as staff change a real MotoPress site.
@Suite("Upstream changes: incremental requests, confirmed deletions, parents reaching their lines")
struct UpstreamChangeTests {
    /// One booking page at a time, no prefetching: every batch is one page.
    static let onePageAtATime = ["per_page": "10", "concurrency": "1"]

    /// Runs `body` with a running demo upstream serving `site`, and a fresh database.
    static func withSite(
        _ site: DemoSite, faults: DemoUpstreamFaults? = nil,
        _ body: (DemoUpstreamServer, DemoUpstreamEndpoint, String) async throws -> Void
    ) async throws {
        var configuration = DemoUpstreamConfiguration(sites: [site])
        if let faults { configuration.faults = faults }
        let server = try await DemoUpstreamServer.prepare(configuration: configuration)
        try await server.withRunning { endpoint in
            try await TestDatabase.withDatabase { url in try await body(server, endpoint, url) }
        }
    }

    /// A site whose listing shifts while it is read: ``withSite(_:faults:_:)`` with the tenant read one
    /// page at a time, and the site's booking ids in listing order.
    static func withShiftingSite(
        _ site: DemoSite, _ body: (DemoUpstreamServer, TenantSpec, [Int], String) async throws -> Void
    ) async throws {
        try await withSite(site) { server, endpoint, url in
            let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: onePageAtATime)
            try await body(server, spec, DemoSiteDataset(site: site).bookings.map(\.id).sorted(), url)
        }
    }

    @Test("a default sync after N changes asks for O(N / per_page) booking pages, not the whole history")
    func incrementalRequestsGrowWithChanges() async throws {
        let site = DemoSite(name: "hotel-incremental", accommodations: 20, bookings: 2_000)
        try await Self.withSite(site) { server, endpoint, url in
            let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
            let first = try await offPool { try MotoPressSyncTests.sync(spec, runID: "first") }.result
            #expect(first.status == .succeeded, "\(first.error ?? "")")
            let fullPassRequests = server.requestCount(site: site.name, collection: "bookings")
            #expect(fullPassRequests >= 20)

            let ids = DemoSiteDataset(site: site).bookings.map(\.id)
            for id in ids.prefix(25) { try server.apply(.setBookingStatus(id: id, status: "cancelled"), to: site.name) }
            for id in ids.suffix(3) { try server.apply(.addBooking(copying: id), to: site.name) }

            let before = server.requestCount(site: site.name, collection: "bookings")
            let second = try await offPool { try MotoPressSyncTests.sync(spec, runID: "second") }.result
            #expect(second.status == .succeeded, "\(second.error ?? "")")
            let requests = server.requestCount(site: site.name, collection: "bookings") - before
            // 28 changed bookings fit on one page of 100; a full pass would take 20 or more.
            #expect(requests == 1, "incremental sync made \(requests) booking requests")
            let reservations = try #require(second.streams.first { $0.stream == "reservations" })
            #expect(reservations.counts.deleted == 0)
            #expect(try await TestDatabase.scalar(url, "SELECT count(DISTINCT booking_id) FROM reservations WHERE status = 'cancelled' AND booking_id = ANY($1::bigint[])", [.textArray(ids.prefix(25).map(String.init))]) == 25)
            #expect(try await TestDatabase.scalar(url, "SELECT count(DISTINCT booking_id) FROM reservations WHERE deleted_at IS NULL") == 2_003)
        }
    }

    @Test("an edit of post meta only is invisible to incremental syncs and caught by the next full pass")
    func metaOnlyEditsWaitForTheFullPass() async throws {
        let site = DemoSite(name: "hotel-meta", accommodations: 8, bookings: 60)
        try await Self.withSite(site) { server, endpoint, url in
            let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
            #expect(try await offPool { try MotoPressSyncTests.sync(spec, runID: "first") }.result.status == .succeeded)
            let id = DemoSiteDataset(site: site).bookings[10].id
            try server.apply(.setBookingNote(id: id, note: "late arrival"), to: site.name)

            let incremental = try await offPool { try MotoPressSyncTests.sync(spec, runID: "incremental") }.result
            #expect(incremental.streams.first { $0.stream == "reservations" }?.counts.fetched == 0)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE data->>'note' = 'late arrival'") == 0)

            let full = try await offPool { try MotoPressSyncTests.sync(spec, runID: "full", full: true) }.result
            #expect(full.status == .succeeded)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE data->>'note' = 'late arrival' AND booking_id = $1", [.text(String(id))]) >= 1)

            // `full_every` makes the next default sync a full pass once the last one is that old.
            try server.apply(.setBookingNote(id: id, note: "early arrival"), to: site.name)
            let due = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: ["full_every": "12h"])
            #expect(try await offPool { try MotoPressSyncTests.sync(due, runID: "not-yet") }.result.status == .succeeded)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE data->>'note' = 'early arrival'") == 0)
            // Half a day later (the last full pass is moved back rather than waited for), it is due.
            _ = try PostgresConnection(url: url).query("""
                UPDATE sync_checkpoints SET full_completed_at = full_completed_at - interval '13 hours' WHERE tenant_id = $1
                """, [.text(site.name)])
            #expect(try await offPool { try MotoPressSyncTests.sync(due, runID: "due") }.result.status == .succeeded)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE data->>'note' = 'early arrival'") >= 1)
        }
    }

    @Test("bookings deleted on pages already read while a full pass runs: no live booking is marked deleted")
    func deletionsDuringAFullPass() async throws {
        let site = DemoSite(name: "hotel-shift", accommodations: 12, bookings: 300)
        try await Self.withShiftingSite(site) { server, spec, ids, url in
            let initial = try await offPool { try MotoPressSyncTests.sync(spec, runID: "first") }.result
            #expect(initial.status == .succeeded)
            // Once page 4 of a full pass is committed, staff delete 30 bookings of pages 1–3 (ten
            // trashed, twenty deleted for good), so every later page shifts left by three pages'
            // worth, and 10 bookings of page 26, which the pass has not reached.
            let early = Array(ids.prefix(30))
            let late = Array(ids[250..<260])
            let (result, _) = try await offPool {
                try MotoPressSyncTests.sync(spec, runID: "shifted", full: true) { update in
                    guard update.stream == "reservations", update.page == 4 else { return }
                    for (offset, id) in (early + late).enumerated() {
                        try? server.apply(offset % 3 == 0 ? .trashBooking(id: id) : .deleteBooking(id: id), to: site.name)
                    }
                }
            }
            #expect(result.status == .succeeded, "\(result.error ?? "")")
            // The pass saw the early ones before they went; the next pass will see them gone.
            let deleted = Set(try Self.bookingIDs(url, "deleted_at IS NOT NULL"))
            #expect(deleted == Set(late), "wrongly marked deleted: \(deleted.subtracting(late).sorted())")
            #expect(result.streams.first { $0.stream == "reservations" }?.counts.deleted == (try await Self.lineCount(url, of: late)))

            let next = try await offPool { try MotoPressSyncTests.sync(spec, runID: "next", full: true) }.result
            #expect(next.status == .succeeded, "\(next.error ?? "")")
            #expect(Set(try Self.bookingIDs(url, "deleted_at IS NOT NULL")) == Set(early + late))
            #expect(Set(try Self.bookingIDs(url, "deleted_at IS NULL")) == Set(ids).subtracting(early + late))
        }
    }

    @Test("a first pass whose listing shifts under it still stores every booking the site lists")
    func shiftedFirstPassMissesNothing() async throws {
        let site = DemoSite(name: "hotel-first-shift", accommodations: 12, bookings: 200)
        try await Self.withShiftingSite(site) { server, spec, ids, url in
            let gone = Array(ids[10..<35])
            let (result, _) = try await offPool {
                try MotoPressSyncTests.sync(spec, runID: "first", full: true) { update in
                    guard update.stream == "reservations", update.page == 5 else { return }
                    for id in gone { try? server.apply(.deleteBooking(id: id), to: site.name) }
                }
            }
            #expect(result.status == .succeeded, "\(result.error ?? "")")
            // Records that slid onto pages already read were fetched by id at the end of the pass.
            let live = Set(try Self.bookingIDs(url, "deleted_at IS NULL"))
            let missing = Set(ids).subtracting(gone).subtracting(live)
            #expect(missing.isEmpty, "never stored: \(missing.sorted())")
        }
    }

    @Test("a pass resumed after bookings vanished from its committed pages marks no live booking deleted")
    func deletionsBeforeAResumedPass() async throws {
        let site = DemoSite(name: "hotel-resume-shift", accommodations: 12, bookings: 200)
        try await Self.withShiftingSite(site) { server, spec, ids, url in
            let initial = try await offPool { try MotoPressSyncTests.sync(spec, runID: "first") }.result
            #expect(initial.status == .succeeded)
            let cancellation = CancellationFlag()
            let (first, _) = try await offPool {
                try MotoPressSyncTests.sync(spec, runID: "interrupted", full: true, cancellation: cancellation) { update in
                    if update.stream == "reservations", update.page == 6 { cancellation.cancel(reason: "test stops the pass") }
                }
            }
            #expect(first.status == .cancelled)
            #expect(try await TestDatabase.scalar(url, "SELECT pass_next_page FROM sync_checkpoints WHERE stream = 'reservations'") == 7)
            // Bookings of the committed pages go: the rest of the listing shifts left by four pages.
            let gone = Array(ids[5..<45])
            for id in gone { try server.apply(.deleteBooking(id: id), to: site.name) }

            let (resumed, progress) = try await offPool { try MotoPressSyncTests.sync(spec, runID: "resumed") }
            #expect(resumed.status == .succeeded, "\(resumed.error ?? "")")
            #expect(progress.first { $0.stream == "reservations" }?.page == 7)
            let wronglyDeleted = Set(try Self.bookingIDs(url, "deleted_at IS NOT NULL")).subtracting(gone)
            #expect(wronglyDeleted.isEmpty, "wrongly marked deleted: \(wronglyDeleted.sorted())")

            #expect(try await offPool { try MotoPressSyncTests.sync(spec, runID: "next", full: true) }.result.status == .succeeded)
            #expect(Set(try Self.bookingIDs(url, "deleted_at IS NOT NULL")) == Set(gone))
            #expect(Set(try Self.bookingIDs(url, "deleted_at IS NULL")) == Set(ids).subtracting(gone))
        }
    }

    @Test("trashing a room quarantines its lines as a fresh sync would; restoring it brings them back")
    func trashedRoomReachesItsLines() async throws {
        let site = DemoSite(name: "hotel-room", accommodations: 6, bookings: 150)
        try await Self.withSite(site) { server, endpoint, url in
            let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
            #expect(try await offPool { try MotoPressSyncTests.sync(spec, runID: "first") }.result.status == .succeeded)
            let lines = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NULL")
            let room = try await TestDatabase.scalar(url, """
                SELECT a.external_id FROM accommodations a JOIN reservations r ON r.accommodation_unit_id = a.id
                GROUP BY a.external_id ORDER BY count(*) DESC, a.external_id LIMIT 1
                """)
            let onRoom = try await TestDatabase.scalar(url, """
                SELECT count(*) FROM reservations r JOIN accommodations a ON a.id = r.accommodation_unit_id WHERE a.external_id = $1
                """, [.text(String(room))])
            #expect(onRoom > 0)

            try server.apply(.trashAccommodation(id: room), to: site.name)
            let trashed = try await offPool { try MotoPressSyncTests.sync(spec, runID: "trashed") }.result
            #expect(trashed.status == .succeeded, "\(trashed.error ?? "")")
            #expect(trashed.streams.first { $0.stream == "accommodations" }?.counts.deleted == 1)
            let quarantine = try Self.quarantine(url)
            #expect(quarantine.count == onRoom)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NULL") == lines - onRoom)
            #expect(try await TestDatabase.scalar(url, """
                SELECT count(*) FROM reservations r JOIN accommodations a ON a.id = r.accommodation_unit_id
                WHERE r.deleted_at IS NULL AND a.deleted_at IS NOT NULL
                """) == 0)
            // A fresh tenant on the same site stores and quarantines exactly the same lines, for the same reason.
            try await TestDatabase.withDatabase { (fresh: String) async throws in
                let freshSpec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: fresh)
                #expect(try await offPool { try MotoPressSyncTests.sync(freshSpec, runID: "fresh") }.result.status == .succeeded)
                #expect(try Self.quarantine(fresh) == quarantine)
                #expect(try await TestDatabase.scalar(fresh, "SELECT count(*) FROM reservations") == lines - onRoom)
            }

            try server.apply(.restoreAccommodation(id: room), to: site.name)
            let restored = try await offPool { try MotoPressSyncTests.sync(spec, runID: "restored") }.result
            #expect(restored.status == .succeeded, "\(restored.error ?? "")")
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NULL") == lines)
            #expect(try Self.quarantine(url).isEmpty)

            // Deleted for good, the room is confirmed gone by a lookup and its lines leave again.
            try server.apply(.deleteAccommodation(id: room), to: site.name)
            let deleted = try await offPool { try MotoPressSyncTests.sync(spec, runID: "deleted") }.result
            #expect(deleted.status == .succeeded)
            #expect(try Self.quarantine(url).count == onRoom)
        }
    }

    @Test("a stored line moved to a room that is no longer listed leaves the live rows and is quarantined, as a fresh sync would")
    func lineMovedToTrashedRoom() async throws {
        let site = DemoSite(name: "hotel-move", accommodations: 6, bookings: 60)
        try await Self.withSite(site) { server, endpoint, url in
            let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
            #expect(try await offPool { try MotoPressSyncTests.sync(spec, runID: "first") }.result.status == .succeeded)
            // The room with the fewest lines goes to the trash; a booking's first line (line_number 1, the
            // upstream's reserved_accommodations[0]) in another room then moves into it.
            let rooms = try PostgresConnection(url: url).query("""
                SELECT a.external_id AS room, min(r.booking_id) AS booking FROM accommodations a
                JOIN reservations r ON r.accommodation_unit_id = a.id AND r.line_number = 1
                GROUP BY a.external_id ORDER BY count(*), a.external_id
                """).rows.map { (try $0.decode(Int.self, "room"), try $0.decode(Int.self, "booking")) }
            let trashedRoom = try #require(rooms.first).0
            let moved = try #require(rooms.last).1
            try server.apply(.trashAccommodation(id: trashedRoom), to: site.name)
            #expect(try await offPool { try MotoPressSyncTests.sync(spec, runID: "trashed") }.result.status == .succeeded)
            let quarantinedBefore = try Self.quarantine(url)
            let liveBefore = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NULL")
            #expect(quarantinedBefore["\(moved)/1"] == nil)

            try server.apply(.moveBookingLine(id: moved, line: 0, toAccommodation: trashedRoom), to: site.name)
            let after = try await offPool { try MotoPressSyncTests.sync(spec, runID: "moved") }.result
            #expect(after.status == .succeeded, "\(after.error ?? "")")
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NULL") == liveBefore - 1)
            #expect(try await TestDatabase.scalar(
                url, "SELECT count(*) FROM reservations WHERE booking_id = $1 AND line_number = 1 AND deleted_at IS NOT NULL", [.int(moved)]
            ) == 1)
            let quarantine = try Self.quarantine(url)
            #expect(quarantine["\(moved)/1"]?.contains("quarantined") == true, "\(quarantine)")
            #expect(quarantine.count == quarantinedBefore.count + 1)
            // A fresh tenant on the same site quarantines the same lines.
            try await TestDatabase.withDatabase { (fresh: String) async throws in
                let freshSpec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: fresh)
                #expect(try await offPool { try MotoPressSyncTests.sync(freshSpec, runID: "fresh") }.result.status == .succeeded)
                #expect(try Self.quarantine(fresh) == quarantine)
            }
        }
    }

    @Test("a line whose rate is no longer listed keeps the upstream's rate id and says why")
    func disabledRateKeepsItsID() async throws {
        let site = DemoSite(name: "hotel-rate", accommodations: 6, bookings: 80)
        try await Self.withSite(site) { server, endpoint, url in
            let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
            #expect(try await offPool { try MotoPressSyncTests.sync(spec, runID: "first") }.result.status == .succeeded)
            let rate = try await TestDatabase.scalar(url, "SELECT min(rate_external_id) FROM reservations")
            let onRate = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE rate_external_id = $1", [.text(String(rate))])
            #expect(onRate > 0)
            try server.apply(.disableRate(id: rate), to: site.name)

            #expect(try await offPool { try MotoPressSyncTests.sync(spec, runID: "disabled") }.result.status == .succeeded)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE rate_external_id = $1 AND rate_id IS NULL AND deleted_at IS NULL", [.text(String(rate))]) == onRate)
            #expect(try await TestDatabase.scalar(url, """
                SELECT count(*) FROM sync_rejects WHERE external_id LIKE '%:rate' AND reason LIKE 'rate ' || $1 || ' is not listed by the upstream%'
                """, [.text(String(rate))]) == onRate)
            // A fresh sync of the same site says the same.
            try await TestDatabase.withDatabase { (fresh: String) async throws in
                let freshSpec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: fresh)
                #expect(try await offPool { try MotoPressSyncTests.sync(freshSpec, runID: "fresh") }.result.status == .succeeded)
                #expect(try await TestDatabase.scalar(fresh, "SELECT count(*) FROM reservations WHERE rate_external_id = $1 AND rate_id IS NULL", [.text(String(rate))]) == onRate)
                #expect(try await TestDatabase.scalar(fresh, "SELECT count(*) FROM sync_rejects WHERE external_id LIKE '%:rate'") == onRate)
            }
        }
    }

    @Test("a run that fails mid-stream reports exactly the rows it committed")
    func failedRunCountsWhatItCommitted() async throws {
        let site = DemoSite(name: "hotel-fail", accommodations: 8, bookings: 100)
        var faults = DemoUpstreamFaults()
        faults.holdFromPage = 4
        faults.holdDelay = .seconds(30)
        try await Self.withSite(site, faults: faults) { _, endpoint, url in
            // Page 4 of bookings outlives the request timeout and is not retried: the stream fails
            // with three pages committed.
            let extra = Self.onePageAtATime.merging(["request_timeout_ms": "300", "max_attempts": "1"]) { _, new in new }
            let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: extra)
            let result = try await offPool { try MotoPressSyncTests.sync(spec, runID: "failing") }.result
            #expect(result.status == .failed)
            let reservations = try #require(result.streams.first { $0.stream == "reservations" })
            #expect(reservations.status == .failed)
            #expect(reservations.error?.contains("page=4") == true, "\(reservations.error ?? "")")
            let committed = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
            #expect(committed > 0)
            #expect(reservations.counts.created == committed)
            #expect(reservations.counts.fetched >= 30)
        }
    }

    @Test("start_date and end_date keep the lines whose check-in falls in the range")
    func checkInDateRange() async throws {
        let site = DemoSite(name: "hotel-range", accommodations: 8, bookings: 120)
        try await Self.withSite(site) { _, endpoint, url in
            let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
            let bookings = DemoSiteDataset(site: site).bookings
            let dates = bookings.map(\.checkInDate).sorted()
            let (from, to) = (dates[30], dates[80])
            let expected = bookings.filter { $0.checkInDate >= from && $0.checkInDate <= to }.map(\.reservedAccommodations.count).reduce(0, +)
            let result = try await offPool { try MotoPressSyncTests.sync(spec, startDate: from, endDate: to) }.result
            #expect(result.status == .succeeded)
            let stored = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
            let quarantined = try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_rejects WHERE stream = 'reservations'")
            #expect(stored + quarantined == expected)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE check_in_date < $1::date OR check_in_date > $2::date", [.text(from), .text(to)]) == 0)
        }
    }

    @Test("a refused request says which credential is wrong, with the upstream's own words")
    func authenticationErrorsSayWhy() async throws {
        var plain = DemoSite(name: "hotel-plain-http", accommodations: 3, bookings: 5)
        plain.isHTTPS = false
        let site = DemoSite(name: "hotel-auth", accommodations: 3, bookings: 5)
        let configuration = DemoUpstreamConfiguration(sites: [site, plain])
        try await DemoUpstreamServer.withRunningServer(configuration: configuration) { endpoint in
            try await TestDatabase.withDatabase { url in
                let cases: [(TenantSpec, [String])] = [
                    (DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, secret: "cs_wrong"),
                     ["mphb_rest_authentication_error", "Consumer secret is invalid.", "consumer_secret"]),
                    (DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: ["consumer_key": "ck_nobody"]),
                     ["Consumer key is invalid.", "consumer_key"]),
                    (DemoTenants.motoPress(site: plain, endpoint: endpoint, databaseURL: url),
                     ["mphb_rest_cannot_view", "plain http://", "https://"]),
                ]
                for (spec, words) in cases {
                    let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                    #expect(result.status == .failed)
                    let error = result.error ?? ""
                    for word in words { #expect(error.contains(word), "\(error)") }
                    #expect(!error.contains("cs_wrong") && !error.contains(site.consumerSecret))
                }
            }
        }
    }

    /// Distinct booking ids of reservation lines matching `condition`, a fixed SQL fragment.
    static func bookingIDs(_ url: String, _ condition: String) throws -> [Int] {
        try PostgresConnection(url: url).query("SELECT DISTINCT booking_id FROM reservations WHERE \(condition)").rows.compactMap {
            ($0["booking_id"] ?? nil).flatMap { Int($0) }
        }
    }

    /// How many reservation lines the bookings `ids` have.
    static func lineCount(_ url: String, of ids: [Int]) async throws -> Int {
        try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE booking_id = ANY($1::bigint[])", [.textArray(ids.map(String.init))])
    }

    /// The quarantined lines: key → reason.
    static func quarantine(_ url: String) throws -> [String: String] {
        let rows = try PostgresConnection(url: url).query("""
            SELECT external_id, reason FROM sync_rejects WHERE stream = 'reservations' AND reason LIKE 'quarantined:%'
            """).rows
        return Dictionary(uniqueKeysWithValues: rows.compactMap { row in
            guard let key = row["external_id"] ?? nil, let reason = row["reason"] ?? nil else { return nil }
            return (key, reason)
        })
    }
}
