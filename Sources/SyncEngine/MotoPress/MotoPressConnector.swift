import CurlHTTP
import IPC
import Postgres

/// Syncs a MotoPress Hotel Booking site: accommodation types → accommodations → reservations.
///
/// Settings: `base_url` (the WordPress site, without `/wp-json`), `consumer_key`,
/// `consumer_secret`, optional `per_page` (1–100, default 100).
public struct MotoPressConnector: Connector {
    public let streams: [StreamDefinition] = [
        StreamDefinition(name: "accommodation_types"),
        StreamDefinition(name: "accommodations", parents: ["accommodation_types"]),
        StreamDefinition(name: "reservations", parents: ["accommodations"], primaryKey: ["booking_id", "line_number"]),
    ]

    let baseURL: String
    let credentials: BasicAuth
    let perPage: Int
    let retryPolicy: RetryPolicy

    public init(settings: ConnectorSettings, retryPolicy: RetryPolicy = RetryPolicy()) throws(SyncError) {
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
        self.retryPolicy = retryPolicy
    }

    public func sync(stream: StreamDefinition, context: SyncContext) throws(SyncError) -> StreamCounts {
        let pager = WordPressPager(
            baseURL: baseURL,
            credentials: credentials,
            perPage: perPage,
            fetcher: UpstreamFetcher(http: context.http, retryPolicy: retryPolicy, logger: context.logger, isCancelled: { context.isCancelled })
        )
        let writer = MotoPressWriter(tenantID: context.tenantID, runID: context.runID)
        var total = StreamCounts()
        let collection = stream.name == "reservations" ? "bookings" : stream.name
        try pager.forEachPage(collection: collection, isCancelled: { context.isCancelled }) { page, number throws(SyncError) in
            let counts: StreamCounts = try inTransaction(context.database, stream: stream.name, page: number) { connection throws(SyncError) in
                try writer.reject(stream: stream.name, records: page.invalid, on: connection)
                var counts: StreamCounts
                switch stream.name {
                case "accommodation_types":
                    counts = try writer.upsertAccommodationTypes(page.records, on: connection)
                case "accommodations":
                    counts = try writer.upsertAccommodations(page.records, on: connection)
                case "reservations":
                    let empty = page.records.filter { ($0.fields["reserved_accommodations"] as? [Any])?.isEmpty ?? true }
                    try writer.reject(stream: stream.name, records: empty.map { ($0.json, "booking \($0.externalID) has no reserved accommodations") }, on: connection)
                    counts = try writer.upsertReservations(page.records.flatMap(ReservationLine.lines(of:)), on: connection)
                    counts.fetched += empty.count
                    counts.rejected += empty.count
                default:
                    throw SyncError(code: .configuration, message: "motopress has no stream \(stream.name)")
                }
                counts.fetched += page.invalid.count
                counts.rejected += page.invalid.count
                return counts
            }
            total.add(counts)
            context.logger.debug("page written", metadata: [
                "sync.stream": "\(stream.name)", "sync.page": "\(number)", "sync.pages": "\(page.totalPages.map(String.init) ?? "?")",
            ])
            context.reportPage(stream: stream.name, page: number, pages: page.totalPages, counts: total)
        }
        return total
    }

    /// Runs one page's writes in a transaction: a page is stored whole or not at all.
    private func inTransaction<T>(_ connection: PostgresConnection, stream: String, page: Int, _ body: (PostgresConnection) throws(SyncError) -> T) throws(SyncError) -> T {
        do {
            return try connection.withTransaction { connection in try body(connection) }
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError.database(error, while: "writing page \(page) of \(stream)")
        }
    }
}
