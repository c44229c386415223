import Foundation
import Synchronization

/// What the server keeps for one site: its records encoded once, its edits, and its estimates tokens.
///
/// The generated models are dropped after encoding; the first ``DemoSiteChange`` generates them
/// again (generation is deterministic) and keeps them, so only an edited site pays for them.
final class DemoSiteStore: Sendable {
    let site: DemoSite
    let utcOffsetSeconds: Int64
    private let state: Mutex<MotoPressSiteState>
    let estimates: EncodedCollection
    let tokens: Mutex<EstimatesTokenBook>
    /// Requests per MotoPress collection, lists and lookups by id alike, for tests that count them.
    private let requestCounts = Mutex<[String: Int]>([:])

    init(site: DemoSite) {
        let dataset = DemoSiteDataset(site: site)
        self.site = site
        let offset = Int64(dataset.utcOffsetHours) * 3600
        self.utcOffsetSeconds = offset
        self.state = Mutex(MotoPressSiteState(dataset: dataset, utcOffsetSeconds: offset))
        self.estimates = EncodedCollection(
            dataset.estimates, id: { _ in 0 }, createdAt: { $0.createdDay * 86_400 }, write: { $0.writeJSON(to: &$1) }
        )
        self.tokens = Mutex(EstimatesTokenBook(siteName: site.name, seed: site.seed))
    }

    /// The collection a MotoPress route name serves, as it is now, if any.
    func collection(named name: Substring) -> EncodedCollection? {
        self.state.withLock { state in
            switch name {
            case "accommodation_types": state.accommodationTypes
            case "accommodations": state.accommodations
            case "rates": state.rates
            case "bookings": state.bookings
            default: nil
            }
        }
    }

    /// Counts one request to `collection`.
    func countRequest(collection: Substring) {
        self.requestCounts.withLock { $0[String(collection), default: 0] += 1 }
    }

    /// Requests served for `collection` so far.
    func requestCount(collection: String) -> Int {
        self.requestCounts.withLock { $0[collection] ?? 0 }
    }

    /// Applies `change` at `now` (UTC seconds); lists and lookups see it from the next request on.
    func apply(_ change: DemoSiteChange, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(DemoUpstreamError) {
        let site = self.site
        try self.state.withLock { state throws(DemoUpstreamError) in
            try state.apply(change, now: now, site: site)
        }
    }
}
