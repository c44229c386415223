import DemoUpstreamKit
import Testing

@Suite("Demo upstream: generated site data")
struct DemoUpstreamDatasetTests {
    let site = DemoSite(name: "hotel-a", seed: 11, accommodations: 20, bookings: 400)

    @Test("The same site generates the same data; another seed does not")
    func deterministic() {
        let first = DemoSiteDataset(site: self.site)
        let second = DemoSiteDataset(site: self.site)
        #expect(first.bookings == second.bookings)
        #expect(first.accommodations == second.accommodations)
        #expect(first.estimates == second.estimates)
        var reseeded = self.site
        reseeded.seed = 12
        #expect(DemoSiteDataset(site: reseeded).bookings != first.bookings)
    }

    @Test("Changing the booking count leaves the catalog and estimates as they were")
    func independentStreams() {
        var fewer = self.site
        fewer.bookingCount = 10
        let full = DemoSiteDataset(site: self.site)
        let small = DemoSiteDataset(site: fewer)
        #expect(small.accommodations == full.accommodations)
        #expect(small.rates == full.rates)
        #expect(small.estimates == full.estimates)
    }

    @Test("Catalog shape: one type per five units, one rate per type")
    func catalogShape() {
        let dataset = DemoSiteDataset(site: self.site)
        #expect(dataset.accommodationTypes.count == 4)
        #expect(dataset.listedAccommodations.count == 20)
        #expect(dataset.rates.map(\.accommodationTypeID) == dataset.accommodationTypes.map(\.id))
        let typeIDs = Set(dataset.accommodationTypes.map(\.id))
        #expect(dataset.accommodations.allSatisfy { typeIDs.contains($0.accommodationTypeID) })
        #expect(DemoSiteDataset(site: DemoSite(name: "tiny", accommodations: 1, bookings: 3)).accommodationTypes.count == 1)
    }

    @Test("Every reserved accommodation references a listed accommodation and its type")
    func references() {
        let dataset = DemoSiteDataset(site: self.site)
        let units = Dictionary(uniqueKeysWithValues: dataset.listedAccommodations.map { ($0.id, $0) })
        let rates = Set(dataset.rates.map(\.id))
        for booking in dataset.bookings {
            #expect(!booking.reservedAccommodations.isEmpty)
            for room in booking.reservedAccommodations {
                #expect(units[room.accommodation]?.accommodationTypeID == room.accommodationType, "booking \(booking.id)")
                #expect(booking.imported ? room.rate == 0 : rates.contains(room.rate), "booking \(booking.id)")
            }
        }
    }

    @Test("Trashed accommodations are referenced by bookings but not listed")
    func trashed() {
        var site = self.site
        site.trashedAccommodationCount = 2
        let dataset = DemoSiteDataset(site: site)
        let trashedIDs = Set(dataset.accommodations.filter(\.isTrashed).map(\.id))
        #expect(trashedIDs.count == 2)
        #expect(dataset.listedAccommodations.count == 20)
        #expect(dataset.listedAccommodations.allSatisfy { !trashedIDs.contains($0.id) })
        let referenced = Set(dataset.bookings.flatMap { $0.reservedAccommodations.map(\.accommodation) })
        #expect(trashedIDs.isSubset(of: referenced))
    }

    @Test("Imported iCal blocks have no customer, no price and an iCal summary")
    func importedBlocks() {
        let imported = DemoSiteDataset(site: self.site).bookings.filter(\.imported)
        #expect(imported.count >= 5 && imported.count <= 40)
        for booking in imported {
            #expect(booking.customer.firstName.isEmpty && booking.customer.email.isEmpty && booking.customer.country.isEmpty)
            #expect(booking.totalPriceCents == 0)
            #expect(booking.payments.isEmpty)
            #expect(!booking.icalSummary.isEmpty)
        }
    }

    @Test("Statuses, multi-room bookings and dates are spread as a real hotel's would be")
    func spread() {
        let dataset = DemoSiteDataset(site: self.site)
        #expect(Set(dataset.bookings.map(\.status)) == Set(DemoBooking.statuses))
        let small = DemoSiteDataset(site: DemoSite(name: "small", bookings: 6))
        #expect(Set(small.bookings.map(\.status)) == Set(DemoBooking.statuses))
        let multiRoom = dataset.bookings.filter { $0.reservedAccommodations.count > 1 }
        #expect(multiRoom.count >= 15 && multiRoom.count <= 70)
        #expect(multiRoom.allSatisfy { (2...3).contains($0.reservedAccommodations.count) })
        let checkIns = dataset.bookings.map(\.checkInDate).sorted()
        #expect(checkIns.first! < "2025-01-01")
        #expect(checkIns.last! > "2026-06-01")
        #expect(dataset.bookings.allSatisfy { $0.checkInDate < $0.checkOutDate && $0.dateCreated <= "2025-11-19T14:09:00" })
        #expect(dataset.bookings.map(\.id) == dataset.bookings.map(\.id).sorted())
        for booking in dataset.bookings where !booking.imported {
            #expect(booking.totalPriceCents == booking.reservedAccommodations.reduce(0) { $0 + $1.totalCents })
            #expect(booking.totalPriceCents > 0)
        }
    }

    @Test("Credentials derive from the site name and seed")
    func credentials() {
        let site = DemoSite(name: "hotel-a", seed: 5)
        #expect(site.consumerKey == "ck_hotel-a")
        #expect(site.consumerSecret == DemoSite.defaultConsumerSecret(name: "hotel-a", seed: 5))
        #expect(site.consumerSecret.hasPrefix("cs_") && site.consumerSecret.count == 43)
        #expect(site.consumerSecret != DemoSite(name: "hotel-a", seed: 6).consumerSecret)
        #expect(site.consumerSecret != DemoSite(name: "hotel-b", seed: 5).consumerSecret)
        #expect(!site.description.contains(site.consumerSecret))
    }
}
