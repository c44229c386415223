import DemoUpstreamKit
import Foundation
import Testing

/// The demo site changed while it runs, answering as the MotoPress plugin and WordPress answer.
@Suite("Demo upstream: edits, trash, modification-time queries, include")
struct DemoUpstreamEditTests {
    /// A site whose time zone is ahead of UTC, so zone handling shows.
    static let site: DemoSite = {
        var seed: UInt64 = 1
        while DemoSiteDataset(site: DemoSite(name: "hotel-edit", seed: seed, accommodations: 6, bookings: 40)).utcOffsetHours <= 0 {
            seed += 1
        }
        return DemoSite(name: "hotel-edit", seed: seed, accommodations: 6, bookings: 40)
    }()

    /// Runs `body` with the server (to edit the site) and its port.
    static func withServer(_ site: DemoSite = Self.site, _ body: (DemoUpstreamServer, Int) async throws -> Void) async throws {
        let server = try await DemoUpstreamServer.prepare(configuration: DemoUpstreamConfiguration(sites: [site]))
        try await server.withRunning { endpoint in try await body(server, endpoint.port) }
    }

    /// `date` as `YYYY-MM-DD HH:MM:SS` in UTC, percent-encoded for a query.
    static func wordPressUTC(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'%20'HH:mm:ss"
        return formatter.string(from: date)
    }

    static let modifiedClause = "filter%5Bdate_query%5D%5B0%5D"

    @Test("filter[date_query] on post_modified_gmt selects what changed; a time with Z is read in the site's zone")
    func modificationTimeQuery() async throws {
        let site = Self.site
        let bookings = DemoSiteDataset(site: site).bookings
        try await Self.withServer { server, port in
            let since = Date().addingTimeInterval(-60)
            try server.apply(.setBookingStatus(id: bookings[3].id, status: "cancelled"), to: site.name)
            try server.apply(.addBooking(copying: bookings[5].id), to: site.name)
            // A meta-only edit does not move post_modified.
            try server.apply(.setBookingNote(id: bookings[7].id, note: "paid at the desk"), to: site.name)

            let clause = Self.modifiedClause
            let changed = try await DemoUpstreamTestClient.get(
                port: port,
                site.motoPressPath("bookings?per_page=100&\(clause)%5Bcolumn%5D=post_modified_gmt&\(clause)%5Bafter%5D=\(Self.wordPressUTC(since))"),
                site: site
            )
            #expect(changed.status == 200)
            let found = try ids(changed.objects())
            #expect(found.count == 2)
            #expect(found.contains(bookings[3].id))
            #expect(changed.header("X-WP-Total") == "2")

            // The same time with `Z` is moved to the site's zone (ahead of UTC) first: nothing is after it.
            let zoned = try await DemoUpstreamTestClient.get(
                port: port,
                site.motoPressPath("bookings?per_page=100&\(clause)%5Bcolumn%5D=post_modified_gmt&\(clause)%5Bafter%5D=\(Self.wordPressUTC(since))Z"),
                site: site
            )
            #expect(try zoned.objects().isEmpty)

            // orderby=modified puts the changed bookings last in ascending order.
            let byModified = try await DemoUpstreamTestClient.get(
                port: port, site.motoPressPath("bookings?per_page=100&orderby=modified&order=asc"), site: site
            )
            #expect(try Set(ids(byModified.objects()).suffix(2)) == Set(found))
        }
    }

    @Test("trashed bookings leave lists but are served by id as trash; deleted ones are 404; include lists only listed ones")
    func trashAndDelete() async throws {
        let site = Self.site
        let bookings = DemoSiteDataset(site: site).bookings
        let (trashed, deleted, kept) = (bookings[0].id, bookings[1].id, bookings[2].id)
        try await Self.withServer { server, port in
            try server.apply(.trashBooking(id: trashed), to: site.name)
            try server.apply(.deleteBooking(id: deleted), to: site.name)

            let list = try await DemoUpstreamTestClient.get(port: port, site.motoPressPath("bookings?per_page=100"), site: site)
            #expect(list.header("X-WP-Total") == "38")
            #expect(try !ids(list.objects()).contains(trashed))

            let byID = try await DemoUpstreamTestClient.get(port: port, site.motoPressPath("bookings/\(trashed)"), site: site)
            #expect(byID.status == 200)
            #expect(try byID.object()["status"] as? String == "trash")
            let gone = try await DemoUpstreamTestClient.get(port: port, site.motoPressPath("bookings/\(deleted)"), site: site)
            #expect(gone.status == 404)
            #expect(try gone.object()["code"] as? String == "mphb_rest_invalid_id")

            let included = try await DemoUpstreamTestClient.get(
                port: port, site.motoPressPath("bookings?include=\(trashed),\(deleted),\(kept)&per_page=100"), site: site
            )
            #expect(try ids(included.objects()) == [kept])
            let excluded = try await DemoUpstreamTestClient.get(
                port: port, site.motoPressPath("bookings?exclude=\(kept)&per_page=100"), site: site
            )
            #expect(excluded.header("X-WP-Total") == "37")

            try server.apply(.restoreBooking(id: trashed), to: site.name)
            let restored = try await DemoUpstreamTestClient.get(port: port, site.motoPressPath("bookings/\(trashed)"), site: site)
            #expect(try restored.object()["status"] as? String == bookings[0].status)

            // A unit in the trash leaves /accommodations; by id it says trash.
            let unit = try #require(DemoSiteDataset(site: site).accommodations.first).id
            try server.apply(.trashAccommodation(id: unit), to: site.name)
            let units = try await DemoUpstreamTestClient.get(port: port, site.motoPressPath("accommodations?per_page=100"), site: site)
            #expect(try !ids(units.objects()).contains(unit))
            let trashedUnit = try await DemoUpstreamTestClient.get(port: port, site.motoPressPath("accommodations/\(unit)"), site: site)
            #expect(try trashedUnit.object()["status"] as? String == "trash")
        }
    }

    @Test("offset overrides page; per_page above 100 is rest_invalid_param")
    func offsetAndLimits() async throws {
        let site = Self.site
        let ascending = DemoSiteDataset(site: site).bookings.map(\.id).sorted()
        try await Self.withServer { _, port in
            let page = try await DemoUpstreamTestClient.get(
                port: port, site.motoPressPath("bookings?orderby=id&order=asc&per_page=5&offset=7&page=3"), site: site
            )
            #expect(try ids(page.objects()) == Array(ascending[7..<12]))
            let tooMany = try await DemoUpstreamTestClient.get(port: port, site.motoPressPath("bookings?per_page=101"), site: site)
            #expect(tooMany.status == 400)
            #expect(try tooMany.object()["code"] as? String == "rest_invalid_param")
        }
    }

    @Test("over plain HTTP a real WordPress ignores Basic authentication: the request is anonymous")
    func basicAuthOverPlainHTTP() async throws {
        var site = DemoSite(name: "hotel-plain", accommodations: 3, bookings: 5)
        site.isHTTPS = false
        try await Self.withServer(site) { _, port in
            let response = try await DemoUpstreamTestClient.get(port: port, site.motoPressPath("bookings"), site: site)
            #expect(response.status == 401)
            #expect(try response.object()["code"] as? String == "mphb_rest_cannot_view")
        }
    }
}
