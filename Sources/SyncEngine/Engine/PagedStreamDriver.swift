import IPC
import Postgres

/// One fetched page, ready to write.
struct FetchedPage<Payload> {
    var payload: Payload
    /// Keys of the upstream records on the page, for finding rows deleted upstream.
    var keys: [String]
    /// Whether no page follows this one.
    var isLast: Bool
    var totalPages: Int?
}

/// Runs one pass over a paged stream, writing pages in batches: each batch of consecutive pages is
/// written together with its checkpoint in one transaction, so a page is stored whole or not at all
/// and a killed run resumes after the last committed page without losing or duplicating a row.
///
/// A batch is the page just fetched plus the pages after it that are already at hand (prefetched),
/// up to ``maximumBatchRecords`` records: one upsert per batch instead of one per page,
/// and never a wait for a page that is still on its way while there is something to write. Batches
/// are written by an ``OrderedBatchWriter``, so the next batch is fetched and parsed while PostgreSQL
/// works on the current one, and a batch with no record in common with the one before it is written
/// on a second connection while that one still runs; batches commit in page order all the same.
struct PagedStreamDriver {
    /// The most records one batch collects from pages already at hand.
    static let maximumBatchRecords = 1_000

    let stream: String
    let context: SyncContext
    let checkpoints: CheckpointStore

    init(stream: String, context: SyncContext) {
        self.stream = stream
        self.context = context
        self.checkpoints = CheckpointStore(tenantID: context.tenantID, runID: context.runID)
    }

    /// Starts (or resumes) this stream's pass; see ``CheckpointStore/begin(stream:full:incremental:fullEvery:on:)``.
    func begin(incremental: Bool, fullEvery: Int? = nil) throws(SyncError) -> StreamPass {
        let pass = try checkpoints.begin(
            stream: stream, full: context.command.full, incremental: incremental, fullEvery: fullEvery, on: context.database
        )
        if pass.resumed {
            context.logger.notice("resuming an interrupted pass", metadata: ["sync.stream": "\(stream)", "sync.page": "\(pass.firstPage)"])
        }
        return pass
    }

    /// Fetches pages from `pass.firstPage` until the last one, writing them in batches with `write`.
    ///
    /// - Parameters:
    ///   - isAtHand: whether page `n` can be fetched without waiting (it was prefetched); such pages
    ///     join the batch being collected.
    ///   - fetch: fetches and prepares one page, on the calling thread.
    ///   - write: writes a batch of pages, in page order, on the writer's thread inside the batch's transaction.
    ///   - softDelete: marks rows whose key the pass never saw as deleted, against the keys it recorded;
    ///     called in the last batch's transaction, only when the pass saw every upstream record. The keys
    ///     of each page are recorded in `sync_pass_keys` in that page's transaction, so a pass resumed
    ///     after a kill knows what the pages committed before it held.
    ///   - deletionCheck: instead of `softDelete`, confirms unseen rows upstream first (see
    ///     ``DeletionCheck``), in one more transaction after the last page's.
    func run<Payload>(
        pass: StreamPass,
        isAtHand: (_ page: Int) -> Bool = { _ in false },
        fetch: (_ page: Int) throws(SyncError) -> FetchedPage<Payload>,
        write: @escaping (_ pages: [FetchedPage<Payload>], _ connection: PostgresConnection) throws(SyncError) -> StreamCounts,
        softDelete: ((_ connection: PostgresConnection) throws(SyncError) -> Int)? = nil,
        deletionCheck: DeletionCheck<Payload>? = nil
    ) throws(SyncError) -> StreamCounts {
        let confirming = pass.detectsDeletions && deletionCheck != nil
        let writer = OrderedBatchWriter(connection: context.database, secondConnection: { context.secondConnection() })
        let total = CountsBox()
        var number = pass.firstPage
        // What the batch before holds: a batch overlaps it only if they share no record. The batch
        // with page 1 clears the keys an abandoned pass left, which any later page may touch.
        var previous: (keys: Set<String>, startsPass: Bool)?
        do throws(SyncError) {
            while true {
                try context.checkCancellation()
                var batch = [try fetch(number)]
                var records = batch[0].keys.count
                while !batch[batch.count - 1].isLast, records < Self.maximumBatchRecords, isAtHand(number + 1) {
                    number += 1
                    batch.append(try fetch(number))
                    records += batch[batch.count - 1].keys.count
                }
                let first = number - batch.count + 1
                let keys = Set(batch.lazy.flatMap(\.keys))
                let mayOverlap = previous.map { !$0.startsPass && $0.keys.isDisjoint(with: keys) } ?? false
                previous = (keys, first == 1)
                try writeBatch(
                    batch, first: first, pass: pass, total: total, writer: writer, mayOverlap: mayOverlap, write: write,
                    softDelete: confirming ? nil : softDelete, completes: !confirming
                )
                if batch[batch.count - 1].isLast { break }
                number += 1
            }
            try writer.finish()
        } catch {
            // The writer's error comes from an earlier page than the fetch that failed after it.
            writer.waitUntilIdle()
            throw writer.error ?? error
        }
        if confirming, let deletionCheck {
            try confirmDeletions(deletionCheck, pass: pass, total: total, write: write)
        }
        return total.counts
    }

    /// Looks up the live rows the pass did not see, writes those still listed, marks the rest deleted
    /// and completes the pass, in one transaction after the last page's.
    ///
    /// A run killed before it commits resumes at the page after the last one, which the upstream
    /// answers with an empty page, and comes back here.
    private func confirmDeletions<Payload>(
        _ check: DeletionCheck<Payload>,
        pass: StreamPass,
        total: CountsBox,
        write: (_ pages: [FetchedPage<Payload>], _ connection: PostgresConnection) throws(SyncError) -> StreamCounts
    ) throws(SyncError) {
        try context.checkCancellation()
        let database = context.database
        var found = try check.overlooked { () throws(SyncError) in Set(try checkpoints.recordedKeys(stream: stream, on: database)) }
        if !found.isEmpty {
            context.logger.notice("the listing shifted during the pass: records it had not seen were fetched by id", metadata: [
                "sync.stream": "\(stream)", "sync.overlooked": "\(found.reduce(0) { $0 + $1.keys.count })",
            ])
        }
        let unseen = try check.unseen(found.flatMap(\.keys), database)
        if !unseen.isEmpty {
            found += try check.lookUp(unseen)
            let listed = found.reduce(0) { $0 + $1.keys.count }  // overlooked ones included
            context.logger.info("rows the pass did not see were looked up upstream", metadata: [
                "sync.stream": "\(stream)", "sync.unseen": "\(unseen.count)", "sync.still_listed": "\(listed)",
            ])
        }
        let (counts, deleted) = try inTransaction(what: "confirming deletions in \(stream)") { connection throws(SyncError) -> (StreamCounts, Int) in
            var counts = StreamCounts()
            if !found.isEmpty {
                counts = try write(found, connection)
                // Page 0 holds what the confirmation found: never a page number of the listing.
                try checkpoints.recordKeys(stream: stream, page: 0, keys: found.flatMap(\.keys), on: connection)
            }
            // Nothing unseen: no live row lies outside what the pass saw (and what was found is written
            // above), so the update would scan the tenant's rows to mark none (0.3 s after 100,000 bookings).
            let deleted = unseen.isEmpty ? 0 : try check.softDelete(connection)
            try checkpoints.complete(stream: stream, pass: pass, on: connection)
            return (counts, deleted)
        }
        total.counts.add(counts)
        total.counts.deleted += deleted
        context.recordCommitted(stream: stream, counts: total.counts)
        if deleted > 0 {
            context.logger.info("rows deleted upstream marked deleted", metadata: ["sync.stream": "\(stream)", "sync.deleted": "\(deleted)"])
        }
    }

    /// Hands `batch` (pages `first`…) and its checkpoint to `writer`, as one transaction; reports and logs after commit.
    private func writeBatch<Payload>(
        _ batch: [FetchedPage<Payload>],
        first: Int,
        pass: StreamPass,
        total: CountsBox,
        writer: OrderedBatchWriter,
        mayOverlap: Bool,
        write: @escaping (_ pages: [FetchedPage<Payload>], _ connection: PostgresConnection) throws(SyncError) -> StreamCounts,
        softDelete: ((_ connection: PostgresConnection) throws(SyncError) -> Int)?,
        completes: Bool
    ) throws(SyncError) {
        let last = first + batch.count - 1
        let isLast = batch[batch.count - 1].isLast
        let recording = pass.detectsDeletions && (softDelete != nil || !completes)
        let what = first == last ? "writing page \(first) of \(stream)" : "writing pages \(first)–\(last) of \(stream)"
        let (stream, context, checkpoints) = (self.stream, self.context, self.checkpoints)
        try writer.submit(what: what, mayOverlap: mayOverlap, { connection, slot in
            try context.checkCancellation()
            let counts = try write(batch, connection)
            if recording {
                for (offset, page) in batch.enumerated() {
                    try checkpoints.recordKeys(stream: stream, page: first + offset, keys: page.keys, on: connection)
                }
            }
            // From here on the batch reads and writes what earlier batches wrote: they must have committed.
            try slot.waitForEarlierBatches(on: connection)
            // A cancel that came while this batch ran beside the one before stops the run after that
            // one, as it would have with one batch at a time: this one rolls back.
            try context.checkCancellation()
            var deleted = 0
            if isLast && completes {
                if recording, let softDelete {
                    deleted = try softDelete(connection)
                }
                try checkpoints.complete(stream: stream, pass: pass, on: connection)
            } else {
                try checkpoints.advance(stream: stream, pass: pass, nextPage: last + 1, keysRecorded: recording, on: connection)
            }
            return (counts, deleted)
        }, afterCommit: { (counts: StreamCounts, deleted: Int) in
            total.counts.add(counts)
            total.counts.deleted += deleted
            // Every page of the batch was committed at once: each is reported, with the counts after the batch.
            for (offset, page) in batch.enumerated() {
                context.logger.debug("page written", metadata: [
                    "sync.stream": "\(stream)", "sync.page": "\(first + offset)", "sync.pages": "\(page.totalPages.map(String.init) ?? "?")",
                ])
                context.reportPage(stream: stream, page: first + offset, pages: page.totalPages, counts: total.counts)
            }
            if deleted > 0 {
                context.logger.info("rows deleted upstream marked deleted", metadata: ["sync.stream": "\(stream)", "sync.deleted": "\(deleted)"])
            }
        })
    }

    private func inTransaction<T>(what: String, _ body: (PostgresConnection) throws(SyncError) -> T) throws(SyncError) -> T {
        do {
            return try context.database.withTransaction { connection in try body(connection) }
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError.database(error, while: what)
        }
    }
}

/// The counts a pass has written so far; touched only after a batch's commit, in commit order, until the pass ends.
private final class CountsBox {
    var counts = StreamCounts()
}
