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
        let batchPages = max(concurrency, min(16, PagedStreamDriver.maximumBatchRecords / perPage))
        let prefetcher = PagePrefetcher(concurrency: concurrency, batchPages: batchPages)
        defer { prefetcher.drain() }
        let counts = try driver.run(pass: pass, isAtHand: { prefetcher.isAtHand($0) }) { number throws(SyncError) in
            let page = try pager.fetch(collection: collection, page: number, modifiedAfter: isReservations ? pass.since : nil, prefetcher: prefetcher)
            // Reservation lines are cut and filtered here, on the fetching thread, while the writer
            // thread is busy with the batch before.
            var prepared = PreparedPage(records: page.records, invalid: page.invalid)
            if isReservations {
                let split = page.records.map { ($0, ReservationLine.lines(of: $0)) }
                prepared.empty = split.filter { $0.1.isEmpty }.map(\.0)
                prepared.lines = filter.apply(split.flatMap(\.1), today: today, tally: &tally)
            }
            return FetchedPage(
                payload: prepared, keys: page.records.map { String($0.externalID) },
                isLast: pager.isLast(page, number: number), totalPages: page.totalPages
            )
        } write: { pages, connection throws(SyncError) in
            let invalid = pages.flatMap(\.payload.invalid)
            let records = pages.flatMap(\.payload.records)
            try writer.reject(stream: stream.name, records: invalid, on: connection)
            var counts: StreamCounts
            switch stream.name {
            case "accommodation_types":
                counts = try writer.upsertAccommodationTypes(records, on: connection)
            case "accommodations":
                counts = try writer.upsertAccommodations(records, on: connection)
            case "rates":
                counts = try writer.upsertRates(records, on: connection)
            default:
                let empty = pages.flatMap(\.payload.empty)
                try writer.reject(stream: stream.name, records: empty.map { ($0.json, "booking \($0.externalID) has no reserved accommodations") }, on: connection)
                counts = try writer.upsertReservations(pages.flatMap(\.payload.lines), on: connection)
                counts.fetched += empty.count
                counts.rejected += empty.count
            }
            counts.fetched += invalid.count
            counts.rejected += invalid.count
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
