/// All the records one site serves, generated from its ``DemoSite`` alone.
///
/// Generation is pure: the same site (name, seed, counts) gives equal datasets in any process, so a
/// test can build the dataset itself and compare it with what a client stored. Each collection draws
/// from its own seeded stream, so changing one count leaves the other collections unchanged. Dates
/// are spread around a fixed reference time, 2025-11-19T14:09:00 site time, never around "now".
public struct DemoSiteDataset: Sendable {
    /// The site the data was generated for.
    public let site: DemoSite
    /// The ISO 4217 currency of every booking and payment.
    public let currency: String
    /// The site's timezone, in whole hours ahead of UTC: `date_created` minus `date_created_utc`.
    public let utcOffsetHours: Int
    public let accommodationTypes: [DemoAccommodationType]
    /// Every unit, listed and trashed, in id order.
    public let accommodations: [DemoAccommodation]
    public let rates: [DemoRate]
    /// In id order, which is also creation order.
    public let bookings: [DemoBooking]
    /// In creation order.
    public let estimates: [DemoEstimate]

    /// The units `GET /accommodations` lists: all but the trashed ones.
    public var listedAccommodations: [DemoAccommodation] {
        self.accommodations.filter { !$0.isTrashed }
    }

    /// Generates the site's data.
    public init(site: DemoSite) {
        self.site = site
        var catalog = Catalog.generate(site: site)
        self.currency = catalog.currency
        self.utcOffsetHours = catalog.utcOffsetHours
        self.accommodationTypes = catalog.types
        self.accommodations = catalog.accommodations
        self.rates = catalog.rates
        self.bookings = Self.generateBookings(site: site, catalog: &catalog)
        self.estimates = Self.generateEstimates(site: site)
    }
}
