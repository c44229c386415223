import CurlHTTP
import Foundation
import IPC
import Postgres

/// Syncs a MotoPress Hotel Booking site: accommodation types → accommodations and rates → reservations.
///
/// Settings: `base_url` (the WordPress site, without `/wp-json`), `consumer_key`,
/// `consumer_secret`, optional `per_page` (1–100, default 100), `max_attempts` (default 4) and the
/// reservation filters of ``ReservationFilter``. Catalog streams are read whole on every run (and
/// rows they no longer list are marked deleted); bookings are read incrementally with
/// `modified_after` set to the high-water mark of the last complete pass, or whole with `full`.
public struct MotoPressConnector: Connector {
    public let streams: [StreamDefinition] = [
        StreamDefinition(name: "accommodation_types"),
        StreamDefinition(name: "accommodations", parents: ["accommodation_types"]),
        StreamDefinition(name: "rates", parents: ["accommodation_types"]),
        StreamDefinition(name: "reservations", parents: ["accommodations", "rates"], primaryKey: ["booking_id", "line_number"]),
    ]

    let baseURL: String
    let credentials: BasicAuth
    let perPage: Int
    let retryPolicy: RetryPolicy
    let filter: ReservationFilter
    /// Pages fetched at once when the page count is known (`concurrency`, 1–8, default 4).
    let concurrency: Int

    public init(settings: ConnectorSettings, retryPolicy: RetryPolicy? = nil) throws(SyncError) {
        var baseURL = try settings.required("base_url")
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
            throw SyncError(code: .configuration, message: "tenant \(settings.tenantID): base_url must start with http:// or https://")
        }
        self.baseURL = baseURL
        self.credentials = BasicAuth(user: try settings.required("consumer_key"), password: try settings.required("consumer_secret"))
        let perPage = try settings.integer("per_page", default: WordPressPager.maximumPerPage)
        guard (1...WordPressPager.maximumPerPage).contains(perPage) else {
            throw SyncError(code: .configuration, message: "tenant \(settings.tenantID): per_page must be between 1 and 100")
        }
        self.perPage = perPage
        if let retryPolicy {
            self.retryPolicy = retryPolicy
        } else {
            self.retryPolicy = try RetryPolicy(settings: settings)
        }
        self.filter = try ReservationFilter(settings: settings)
        let concurrency = try settings.integer("concurrency", default: 4)
        guard (1...8).contains(concurrency) else {
            throw SyncError(code: .configuration, message: "tenant \(settings.tenantID): concurrency must be between 1 and 8")
        }
        self.concurrency = concurrency
    }

    public func sync(stream: StreamDefinition, context: SyncContext) throws(SyncError) -> StreamCounts {
        let pager = WordPressPager(
            baseURL: baseURL,
            credentials: credentials,
            perPage: perPage,
            fetcher: UpstreamFetcher(http: context.http, retryPolicy: retryPolicy, logger: context.logger, isCancelled: { context.isCancelled })
        )
        let writer = MotoPressWriter(tenantID: context.tenantID, runID: context.runID)
        let driver = PagedStreamDriver(stream: stream.name, context: context)
        let isReservations = stream.name == "reservations"
        let pass = try driver.begin(incremental: isReservations)
        let collection = isReservations ? "bookings" : stream.name
        let table: (name: String, key: String)
        switch stream.name {
        case "accommodation_types", "accommodations", "rates": table = (stream.name, "external_id")
        case "reservations": table = ("reservations", "booking_id")
        default: throw SyncError(code: .configuration, message: "motopress has no stream \(stream.name)")
        }
        var tally = ReservationFilter.Tally()
        let today = Date()
        let prefetcher = PagePrefetcher(concurrency: concurrency)
        defer { prefetcher.drain() }
        let counts = try driver.run(pass: pass) { number throws(SyncError) in
            let page = try pager.fetch(collection: collection, page: number, modifiedAfter: isReservations ? pass.since : nil, prefetcher: prefetcher)
            return FetchedPage(
                payload: page, keys: page.records.map { String($0.externalID) },
                isLast: pager.isLast(page, number: number), totalPages: page.totalPages
            )
        } write: { fetched, connection throws(SyncError) in
            let page = fetched.payload
            try writer.reject(stream: stream.name, records: page.invalid, on: connection)
            var counts: StreamCounts
            switch stream.name {
            case "accommodation_types":
                counts = try writer.upsertAccommodationTypes(page.records, on: connection)
            case "accommodations":
                counts = try writer.upsertAccommodations(page.records, on: connection)
            case "rates":
                counts = try writer.upsertRates(page.records, on: connection)
            default:
                let split = page.records.map { ($0, ReservationLine.lines(of: $0)) }
                let empty = split.filter { $0.1.isEmpty }.map(\.0)
                try writer.reject(stream: stream.name, records: empty.map { ($0.json, "booking \($0.externalID) has no reserved accommodations") }, on: connection)
                let lines = filter.apply(split.flatMap(\.1), today: today, tally: &tally)
                counts = try writer.upsertReservations(lines, on: connection)
                counts.fetched += empty.count
                counts.rejected += empty.count
            }
            counts.fetched += page.invalid.count
            counts.rejected += page.invalid.count
            return counts
        } softDelete: { seen, connection throws(SyncError) in
            try writer.softDelete(table: table.name, keyColumn: table.key, keeping: seen, on: connection)
        }
        if isReservations {
            context.logger.info("\(tally.summary)", metadata: ["sync.stream": "reservations"])
        }
        return counts
    }
}
