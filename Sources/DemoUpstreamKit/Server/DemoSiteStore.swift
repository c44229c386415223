import Synchronization

/// What the server keeps for one site: its records encoded once, and its estimates tokens.
///
/// The generated models are dropped after encoding; a test that wants them builds a
/// ``DemoSiteDataset`` itself, which yields the same records.
final class DemoSiteStore: Sendable {
    let site: DemoSite
    let utcOffsetSeconds: Int64
    let accommodationTypes: EncodedCollection
    /// Listed units only.
    let accommodations: EncodedCollection
    /// Trashed units: served by id, never listed.
    let trashedAccommodations: EncodedCollection
    let rates: EncodedCollection
    let bookings: EncodedCollection
    let estimates: EncodedCollection
    let tokens: Mutex<EstimatesTokenBook>

    init(site: DemoSite) {
        let dataset = DemoSiteDataset(site: site)
        self.site = site
        let offset = Int64(dataset.utcOffsetHours) * 3600
        self.utcOffsetSeconds = offset
        self.accommodationTypes = EncodedCollection(
            dataset.accommodationTypes, id: \.id, createdAt: { $0.createdAt - offset }, status: \.status,
            write: { $0.writeJSON(to: &$1) }
        )
        let units = dataset.accommodations
        self.accommodations = EncodedCollection(
            units.filter { !$0.isTrashed }, id: \.id, createdAt: { $0.createdAt - offset }, status: \.status,
            write: { $0.writeJSON(to: &$1) }
        )
        self.trashedAccommodations = EncodedCollection(
            units.filter(\.isTrashed), id: \.id, createdAt: { $0.createdAt - offset }, status: \.status,
            write: { $0.writeJSON(to: &$1) }
        )
        self.rates = EncodedCollection(
            dataset.rates, id: \.id, createdAt: { $0.createdAt - offset }, status: \.status,
            write: { $0.writeJSON(to: &$1) }
        )
        self.bookings = EncodedCollection(
            dataset.bookings, id: \.id, createdAt: \.createdAtUTC, status: \.status, write: { $0.writeJSON(to: &$1) }
        )
        self.estimates = EncodedCollection(
            dataset.estimates, id: { _ in 0 }, createdAt: { $0.createdDay * 86_400 }, status: \.status,
            write: { $0.writeJSON(to: &$1) }
        )
        self.tokens = Mutex(EstimatesTokenBook(siteName: site.name, seed: site.seed))
    }

    /// The collection a MotoPress route name serves, if any.
    func collection(named name: Substring) -> EncodedCollection? {
        switch name {
        case "accommodation_types": self.accommodationTypes
        case "accommodations": self.accommodations
        case "rates": self.rates
        case "bookings": self.bookings
        default: nil
        }
    }
}
