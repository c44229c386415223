import DemoUpstreamKit
import Testing

@Suite("Demo upstream: WordPress pagination")
struct DemoUpstreamPaginationTests {
    let site = DemoSite(name: "hotel-a", seed: 7, accommodations: 12, bookings: 45)

    @Test("Defaults to ten records per page, newest first, with totals and a next link")
    func defaults() async throws {
        try await withDemoUpstream([self.site]) { port in
            let response = try await DemoUpstreamTestClient.get(port: port, self.site.motoPressPath("bookings"), site: self.site)
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json; charset=UTF-8")
            #expect(response.header("X-WP-Total") == "45")
            #expect(response.header("X-WP-TotalPages") == "5")
            let newest = DemoSiteDataset(site: self.site).bookings
                .sorted { ($0.dateCreatedUTC, $0.id) > ($1.dateCreatedUTC, $1.id) }
                .prefix(10).map(\.id)
            #expect(try ids(response.objects()) == Array(newest))
            #expect(
                response.headers(named: "Link")
                    == ["<http://127.0.0.1:\(port)\(self.site.motoPressPath("bookings"))?page=2>; rel=\"next\""]
            )
        }
    }

    @Test("order=asc&orderby=id walks every record once, in ascending ids, with a shorter last page")
    func ascendingByID() async throws {
        try await withDemoUpstream([self.site]) { port in
            var seen: [Int] = []
            for page in 1...3 {
                let target = self.site.motoPressPath("bookings?order=asc&orderby=id&per_page=20&page=\(page)")
                let response = try await DemoUpstreamTestClient.get(port: port, target, site: self.site)
                #expect(response.status == 200)
                #expect(response.header("X-WP-TotalPages") == "3")
                let pageIDs = try ids(response.objects())
                #expect(pageIDs.count == (page == 3 ? 5 : 20))
                seen += pageIDs
                let links = response.headers(named: "Link")
                let base = "http://127.0.0.1:\(port)\(self.site.motoPressPath("bookings"))?order=asc&orderby=id&per_page=20"
                switch page {
                case 1: #expect(links == ["<\(base)&page=2>; rel=\"next\""])
                case 2: #expect(links == ["<\(base)&page=1>; rel=\"prev\"", "<\(base)&page=3>; rel=\"next\""])
                default: #expect(links == ["<\(base)&page=2>; rel=\"prev\""])
                }
            }
            #expect(seen == seen.sorted())
            #expect(seen == DemoSiteDataset(site: self.site).bookings.map(\.id))
        }
    }

    @Test("A page past the last one is an empty page with the real totals, as the plugin answers")
    func pagePastTheEnd() async throws {
        try await withDemoUpstream([self.site]) { port in
            let response = try await DemoUpstreamTestClient.get(port: port, self.site.motoPressPath("bookings?page=6"), site: self.site)
            #expect(response.status == 200)
            #expect(try response.objects().isEmpty)
            #expect(response.header("X-WP-Total") == "45")
            #expect(response.header("X-WP-TotalPages") == "5")
        }
    }

    @Test("per_page outside 1...100 is rest_invalid_param", arguments: ["0", "101", "ten"])
    func perPageOutOfRange(perPage: String) async throws {
        try await withDemoUpstream([self.site]) { port in
            let target = self.site.motoPressPath("bookings?per_page=\(perPage)")
            let response = try await DemoUpstreamTestClient.get(port: port, target, site: self.site)
            #expect(response.status == 400)
            let error = try response.object()
            #expect(error["code"] as? String == "rest_invalid_param")
            let params = (error["data"] as? [String: Any])?["params"] as? [String: Any]
            #expect(params?["per_page"] != nil)
        }
    }

    @Test("per_page=100 is the maximum page size")
    func perPageMaximum() async throws {
        let big = DemoSite(name: "big-hotel", seed: 3, accommodations: 30, bookings: 230)
        try await withDemoUpstream([big]) { port in
            let first = try await DemoUpstreamTestClient.get(port: port, big.motoPressPath("bookings?per_page=100"), site: big)
            #expect(try first.objects().count == 100)
            #expect(first.header("X-WP-TotalPages") == "3")
            let last = try await DemoUpstreamTestClient.get(port: port, big.motoPressPath("bookings?per_page=100&page=3"), site: big)
            #expect(try last.objects().count == 30)
        }
    }

    @Test("The catalog collections list every listed record")
    func catalogCollections() async throws {
        let dataset = DemoSiteDataset(site: self.site)
        try await withDemoUpstream([self.site]) { port in
            let expected = [
                ("accommodation_types", dataset.accommodationTypes.map(\.id)),
                ("accommodations", dataset.listedAccommodations.map(\.id)),
                ("rates", dataset.rates.map(\.id)),
            ]
            for (route, expectedIDs) in expected {
                let target = self.site.motoPressPath("\(route)?per_page=100&order=asc")
                let response = try await DemoUpstreamTestClient.get(port: port, target, site: self.site)
                #expect(response.status == 200)
                #expect(response.header("X-WP-Total") == String(expectedIDs.count))
                #expect(try ids(response.objects()) == expectedIDs, "\(route)")
            }
        }
    }

    @Test("GET {collection}/{id} returns one record; an unknown id is 404")
    func singleRecord() async throws {
        let booking = try #require(DemoSiteDataset(site: self.site).bookings.last)
        try await withDemoUpstream([self.site]) { port in
            let found = try await DemoUpstreamTestClient.get(port: port, self.site.motoPressPath("bookings/\(booking.id)"), site: self.site)
            #expect(found.status == 200)
            let object = try found.object()
            #expect(object["id"] as? Int == booking.id)
            #expect(object["key"] as? String == booking.key)
            let missing = try await DemoUpstreamTestClient.get(port: port, self.site.motoPressPath("bookings/999999"), site: self.site)
            #expect(missing.status == 404)
            #expect(try missing.object()["code"] as? String == "mphb_rest_invalid_id")
        }
    }

    @Test("Bookings filter by creation date; parameters the plugin does not have are ignored")
    func bookingFilters() async throws {
        let dataset = DemoSiteDataset(site: self.site)
        let cutoff = try #require(dataset.bookings.dropFirst(20).first).dateCreated
        try await withDemoUpstream([self.site]) { port in
            for unknown in ["status=confirmed", "modified_after=2030-01-01T00:00:00Z"] {
                let ignored = try await DemoUpstreamTestClient.get(
                    port: port, self.site.motoPressPath("bookings?\(unknown)&per_page=1"), site: self.site
                )
                #expect(ignored.status == 200)
                #expect(ignored.header("X-WP-Total") == "45")
            }

            let after = try await DemoUpstreamTestClient.get(
                port: port, self.site.motoPressPath("bookings?after=\(cutoff)&per_page=100"), site: self.site
            )
            #expect(after.status == 200)
            #expect(try Set(ids(after.objects())) == Set(dataset.bookings.filter { $0.dateCreated > cutoff }.map(\.id)))

            let invalid = try await DemoUpstreamTestClient.get(
                port: port, self.site.motoPressPath("bookings?after=yesterday"), site: self.site
            )
            #expect(invalid.status == 400)
        }
    }
}
