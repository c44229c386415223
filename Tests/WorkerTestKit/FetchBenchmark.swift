import CurlHTTP
import Foundation
import Logging
import SyncEngine

/// Measures the worker's upstream side alone: fetching and parsing booking pages into reservation
/// lines exactly as a sync does, with no database.
///
/// `tenantsync-worker-testkit fetch-benchmark` runs it for the benchmark harness (scenario P11). It
/// uses the engine's `package` types, the very code a sync runs.
struct FetchBenchmark: Sendable {
    /// The MotoPress site, without `/wp-json`.
    var baseURL: String
    var consumerKey: String
    var consumerSecret: String
    var pages: Int
    var perPage: Int
    var concurrency: Int

    /// What one run read, and how long it took.
    struct Outcome: Sendable {
        var bookings: Int
        var lines: Int
        var seconds: Double
    }

    init(baseURL: String, consumerKey: String, consumerSecret: String, pages: Int, perPage: Int = 100, concurrency: Int = 4) {
        self.baseURL = baseURL
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.pages = pages
        self.perPage = perPage
        self.concurrency = concurrency
    }

    /// Fetches pages 1 through `pages` of bookings (fewer if the site has fewer) and splits them into lines.
    func run() throws(SyncError) -> Outcome {
        var logger = Logger(label: "tenantsync.fetch-benchmark")
        logger.logLevel = .warning
        let pager = WordPressPager(
            baseURL: baseURL, credentials: BasicAuth(user: consumerKey, password: consumerSecret), perPage: perPage,
            fetcher: UpstreamFetcher(http: CurlHTTPClient(), retryPolicy: RetryPolicy(), logger: logger, isCancelled: { false })
        )
        let prefetcher = WordPressPager.prefetcher(concurrency: concurrency)
        defer { prefetcher.drain() }
        let clock = ContinuousClock()
        let start = clock.now
        var bookings = 0
        var lines = 0
        for number in 1...max(1, pages) {
            let page = try pager.fetch(collection: "bookings", page: number, prefetcher: prefetcher)
            bookings += page.records.count
            for record in page.records { lines += ReservationLine.lines(of: record).count }
            if pager.isLast(page, number: number) { break }
        }
        let elapsed = clock.now - start
        return Outcome(bookings: bookings, lines: lines, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
