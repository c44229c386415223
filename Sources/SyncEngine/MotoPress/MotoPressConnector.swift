import CurlHTTP
import Foundation
import IPC
import Postgres

/// Syncs a MotoPress Hotel Booking site: accommodation types → accommodations and rates → reservations.
///
/// Settings: `base_url` (the WordPress site, without `/wp-json`), `consumer_key`,
/// `consumer_secret`, optional `per_page` (1–100, default 100), `concurrency`, the settings of
/// ``RetryPolicy`` (attempts, delays, `connect_timeout_ms`, `request_timeout_ms`), `full_every`, `modified_overlap_seconds` and the
/// reservation filters of ``ReservationFilter``. Catalog streams are read whole on every run;
/// bookings are read incrementally (those whose `post_modified_gmt` is after the last complete
/// pass's start, less an overlap), or whole with `full` and every `full_every`. A pass that reads
/// everything confirms upstream which unseen rows are gone before marking them deleted
/// (``DeletionCheck``), and deletions of parents reach the reservation lines before they are read.
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
    /// Seconds after which the bookings' next pass is a full one (`full_every`, default a day).
    let fullEvery: Int?
    /// Seconds subtracted from the last complete pass's start when asking for changes, for clock
    /// skew between PostgreSQL and the site (`modified_overlap_seconds`, default 600).
    let modifiedOverlap: Int

    public init(settings: ConnectorSettings, retryPolicy: RetryPolicy? = nil) throws(SyncError) {
        self.baseURL = try settings.baseURL("base_url")
        self.credentials = BasicAuth(user: try settings.required("consumer_key"), password: try settings.required("consumer_secret"))
        self.perPage = try settings.integer("per_page", default: WordPressPager.maximumPerPage, in: 1...WordPressPager.maximumPerPage)
        if let retryPolicy {
            self.retryPolicy = retryPolicy
        } else {
            self.retryPolicy = try RetryPolicy(settings: settings)
        }
        self.filter = try ReservationFilter(settings: settings)
        self.concurrency = try settings.integer("concurrency", default: 4, in: 1...8)
        self.fullEvery = try settings.duration("full_every", default: 86_400)
        self.modifiedOverlap = try settings.integer("modified_overlap_seconds", default: 600, in: 0...86_400 * 7)
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
        let collection = isReservations ? "bookings" : stream.name
        let table: (name: String, key: String)
        switch stream.name {
        case "accommodation_types", "accommodations", "rates": table = (stream.name, "external_id")
        case "reservations": table = ("reservations", "booking_id")
        default: throw SyncError(code: .configuration, message: "motopress has no stream \(stream.name)")
        }
        var reconciled = StreamCounts()
        if isReservations {
            reconciled = try reconcile(writer: writer, context: context)
        }
        let pass = try driver.begin(incremental: isReservations, fullEvery: isReservations ? fullEvery : nil)
        let modifiedAfter = pass.since.flatMap { UpstreamTime.wordPressGMT(fromMark: $0, minusSeconds: modifiedOverlap) }
        if isReservations {
            context.logger.info(modifiedAfter.map { "reading bookings modified after \($0) UTC" } ?? "reading every booking", metadata: ["sync.stream": "reservations"])
        }
        var filter = self.filter
        filter.checkInFrom = context.command.startDate
        filter.checkInTo = context.command.endDate
        var tally = ReservationFilter.Tally()
        // A pass over every booking reads what is stored once and leaves unchanged lines out of the
        // batches; an incremental pass reads few bookings, which the upsert compares as well.
        var stored: StoredLineFingerprints?
        if isReservations && pass.since == nil {
            stored = try StoredLineFingerprints.load(tenantID: context.tenantID, on: context.database)
        }
        let today = Date()
        let shift = ListingShiftWatch()
        let prepare = { (page: WordPressPager.Page, isLast: Bool) -> FetchedPage<PreparedPage> in
            // Reservation lines are cut and filtered here, on the fetching thread, while the writer
            // thread is busy with the batch before.
            var prepared = PreparedPage(records: page.records, invalid: page.invalid)
            if isReservations {
                let split = page.records.map { ($0, ReservationLine.lines(of: $0)) }
                prepared.empty = split.filter { $0.1.isEmpty }.map(\.0)
                prepared.lines = filter.apply(split.flatMap(\.1), today: today, tally: &tally)
                if stored != nil {
                    let before = prepared.lines.count
                    prepared.lines.removeAll { stored!.takeUnchanged($0) }
                    prepared.unchangedLines = before - prepared.lines.count
                }
            }
            return FetchedPage(payload: prepared, keys: page.records.map { String($0.externalID) }, isLast: isLast, totalPages: page.totalPages)
        }
        let batchPages = max(concurrency, min(16, PagedStreamDriver.maximumBatchRecords / perPage))
        let prefetcher = WordPressPager.prefetcher(concurrency: concurrency, batchPages: batchPages)
        defer { prefetcher.drain() }
        var deletionCheck = DeletionCheck<PreparedPage>(
            unseen: { alsoSeen, connection throws(SyncError) in
                try writer.unseen(table: table.name, keyColumn: table.key, stream: stream.name, alsoSeen: alsoSeen, on: connection)
            },
            lookUp: { keys throws(SyncError) in
                try pager.lookUp(collection: collection, ids: keys).map { prepare($0, true) }
            },
            softDelete: { connection throws(SyncError) in
                try writer.softDelete(table: table.name, keyColumn: table.key, stream: stream.name, on: connection)
            }
        )
        // A listing that shifted under the pass (or a resumed pass, whose earlier pages' totals are
        // unknown) is swept by id for records it never saw.
        deletionCheck.overlooked = { recorded throws(SyncError) in
            guard pass.resumed || shift.dropped else { return [] }
            let seen = try recorded()
            let missing = try pager.listIDs(collection: collection).filter { !seen.contains($0) }
            return missing.isEmpty ? [] : try pager.lookUp(collection: collection, ids: missing).map { prepare($0, true) }
        }
        var counts = try driver.run(
            pass: pass,
            isAtHand: { prefetcher.isAtHand($0) },
            fetch: { number throws(SyncError) in
                let page = try pager.fetch(collection: collection, page: number, modifiedAfter: modifiedAfter, prefetcher: prefetcher)
                shift.observe(total: page.total)
                return prepare(page, pager.isLast(page, number: number))
            },
            write: { pages, connection throws(SyncError) in
                try Self.write(pages, stream: stream.name, writer: writer, on: connection)
            },
            deletionCheck: deletionCheck
        )
        if isReservations {
            context.logger.info("\(tally.summary)", metadata: ["sync.stream": "reservations"])
            counts.add(reconciled)
        }
        return counts
    }

    /// Withdraws and restores stored lines after their parents changed (see
    /// ``MotoPressWriter/reconcileLinesWithParents(on:)``), in one transaction.
    private func reconcile(writer: MotoPressWriter, context: SyncContext) throws(SyncError) -> StreamCounts {
        let counts: StreamCounts
        do {
            counts = try context.database.withTransaction { connection in try writer.reconcileLinesWithParents(on: connection) }
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError.database(error, while: "carrying parent deletions to reservation lines")
        }
        if counts.deleted > 0 || counts.created + counts.updated > 0 {
            context.logger.info("reservation lines follow their parents", metadata: [
                "sync.stream": "reservations", "sync.withdrawn": "\(counts.deleted)", "sync.restored": "\(counts.created + counts.updated)",
            ])
        }
        return counts
    }

    /// Writes a batch of one stream's pages; see ``MotoPressWriter``.
    private static func write(_ pages: [FetchedPage<PreparedPage>], stream: String, writer: MotoPressWriter, on connection: PostgresConnection) throws(SyncError) -> StreamCounts {
        let invalid = pages.flatMap(\.payload.invalid)
        let records = pages.flatMap(\.payload.records)
        try writer.reject(stream: stream, records: invalid, on: connection)
        var counts: StreamCounts
        switch stream {
        case "accommodation_types":
            counts = try writer.upsertAccommodationTypes(records, on: connection)
        case "accommodations":
            counts = try writer.upsertAccommodations(records, on: connection)
        case "rates":
            counts = try writer.upsertRates(records, on: connection)
        default:
            let empty = pages.flatMap(\.payload.empty)
            try writer.reject(stream: stream, records: empty.map { ($0.json, "booking \($0.externalID) has no reserved accommodations") }, on: connection)
            counts = try writer.upsertReservations(pages.flatMap(\.payload.lines), on: connection)
            counts.fetched += empty.count
            counts.rejected += empty.count
            let unchanged = pages.reduce(0) { $0 + $1.payload.unchangedLines }
            counts.fetched += unchanged
            counts.unchanged += unchanged
        }
        counts.fetched += invalid.count
        counts.rejected += invalid.count
        return counts
    }
}
