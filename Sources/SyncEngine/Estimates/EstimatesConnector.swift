import CurlHTTP
import Foundation
import IPC
import Postgres

/// Syncs an estimates API into `estimates`: one stream, 100 per page, stopping at the first short page.
///
/// Settings: `base_url` (the API root, under which `auth/login` and `estimates` live), `email`,
/// `password`, optional `start_date` and `end_date` (`YYYY-MM-DD`, on creation date; a sync
/// command's own dates win), `per_page` (1–1000, default 100), `concurrency` (pages requested
/// ahead at once, 1–16, default 8; the API gives no page count, so a batch may overshoot the last
/// page by a few empty requests) and the retry settings of
/// ``RetryPolicy/init(settings:)``. A pass without a date range sees every estimate, so rows it no
/// longer sees are marked deleted.
public struct EstimatesConnector: Connector {
    public let streams: [StreamDefinition] = [StreamDefinition(name: "estimates")]

    let baseURL: String
    let email: String
    let password: String
    let perPage: Int
    let startDate: String?
    let endDate: String?
    let retryPolicy: RetryPolicy
    let concurrency: Int

    public init(settings: ConnectorSettings, retryPolicy: RetryPolicy? = nil) throws(SyncError) {
        self.baseURL = try settings.baseURL("base_url")
        self.email = try settings.required("email")
        self.password = try settings.required("password")
        self.perPage = try settings.integer("per_page", default: 100)
        guard (1...1_000).contains(perPage) else {
            throw SyncError(code: .configuration, message: "tenant \(settings.tenantID): per_page must be between 1 and 1000", setting: "per_page")
        }
        self.startDate = try Self.date(settings, "start_date")
        self.endDate = try Self.date(settings, "end_date")
        if let retryPolicy {
            self.retryPolicy = retryPolicy
        } else {
            self.retryPolicy = try RetryPolicy(settings: settings)
        }
        let concurrency = try settings.integer("concurrency", default: 8)
        guard (1...16).contains(concurrency) else {
            throw SyncError(code: .configuration, message: "tenant \(settings.tenantID): concurrency must be between 1 and 16", setting: "concurrency")
        }
        self.concurrency = concurrency
    }

    public func sync(stream: StreamDefinition, context: SyncContext) throws(SyncError) -> StreamCounts {
        guard stream.name == "estimates" else {
            throw SyncError(code: .configuration, message: "estimates has no stream \(stream.name)")
        }
        let client = EstimatesClient(
            baseURL: baseURL, email: email, password: password, perPage: perPage,
            fetcher: UpstreamFetcher(http: context.http, retryPolicy: retryPolicy, logger: context.logger, isCancelled: { context.isCancelled })
        )
        let startDate = try context.command.startDate.map { text throws(SyncError) in try Self.validDate(text, name: "start_date") } ?? self.startDate
        let endDate = try context.command.endDate.map { text throws(SyncError) in try Self.validDate(text, name: "end_date") } ?? self.endDate
        let writer = EstimatesWriter(tenantID: context.tenantID, runID: context.runID)
        let driver = PagedStreamDriver(stream: stream.name, context: context)
        let pass = try driver.begin(incremental: false)
        let everything = startDate == nil && endDate == nil
        let prefetcher = PagePrefetcher(concurrency: concurrency)
        defer { prefetcher.drain() }
        // Only a pass over every estimate can tell which ones the upstream deleted; a date range cannot.
        let softDelete: ((_ connection: PostgresConnection) throws(SyncError) -> Int)? = everything
            ? { connection throws(SyncError) in try writer.softDelete(stream: stream.name, on: connection) }
            : nil
        let counts = try driver.run(
            pass: pass,
            isAtHand: { prefetcher.isAtHand($0) },
            fetch: { number throws(SyncError) in
                let page = try client.page(number, startDate: startDate, endDate: endDate, prefetcher: prefetcher)
                return FetchedPage(payload: page, keys: page.records.map(\.id), isLast: page.isLast, totalPages: nil)
            },
            write: { pages, connection throws(SyncError) in
                let invalid = pages.flatMap(\.payload.invalid)
                try writer.reject(records: invalid, on: connection)
                var counts = try writer.upsert(pages.flatMap(\.payload.records), on: connection)
                counts.fetched += invalid.count
                counts.rejected += invalid.count
                return counts
            },
            softDelete: softDelete
        )
        context.logger.info("estimates synchronized: new \(counts.created), updated \(counts.updated), unchanged \(counts.unchanged), rejected \(counts.rejected)")
        return counts
    }

    private static func date(_ settings: ConnectorSettings, _ name: String) throws(SyncError) -> String? {
        guard let text = settings.optional(name) else { return nil }
        do {
            return try validDate(text, name: name)
        } catch {
            throw SyncError(code: .configuration, message: "tenant \(settings.tenantID): \(error.message)", setting: name)
        }
    }

    private static func validDate(_ text: String, name: String) throws(SyncError) -> String {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && Int($0) != nil })
        else {
            throw SyncError(code: .configuration, message: "\(name) must be a date, YYYY-MM-DD; got \"\(text)\"")
        }
        return text
    }
}
