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

/// Runs one pass over a paged stream: each page is written together with its checkpoint in one
/// transaction, so a page is stored whole or not at all and a killed run resumes after the last
/// committed page without losing or duplicating a row.
struct PagedStreamDriver {
    let stream: String
    let context: SyncContext
    let checkpoints: CheckpointStore

    init(stream: String, context: SyncContext) {
        self.stream = stream
        self.context = context
        self.checkpoints = CheckpointStore(tenantID: context.tenantID, runID: context.runID)
    }

    /// Starts (or resumes) this stream's pass; see ``CheckpointStore/begin(stream:full:incremental:on:)``.
    func begin(incremental: Bool) throws(SyncError) -> StreamPass {
        let pass = try checkpoints.begin(stream: stream, full: context.command.full, incremental: incremental, on: context.database)
        if pass.resumed {
            context.logger.notice("resuming an interrupted pass", metadata: ["sync.stream": "\(stream)", "sync.page": "\(pass.firstPage)"])
        }
        return pass
    }

    /// Fetches pages from `pass.firstPage` until the last one, writing each with `write`.
    ///
    /// - Parameter softDelete: marks rows whose key the pass never saw as deleted; called in the last
    ///   page's transaction, only when the pass saw every upstream record. The keys of each page are
    ///   recorded in `sync_pass_keys` in that page's transaction, so a pass resumed after a kill knows
    ///   what the pages committed before it held.
    func run<Payload>(
        pass: StreamPass,
        fetch: (_ page: Int) throws(SyncError) -> FetchedPage<Payload>,
        write: (_ page: FetchedPage<Payload>, _ connection: PostgresConnection) throws(SyncError) -> StreamCounts,
        softDelete: ((_ seen: [String], _ connection: PostgresConnection) throws(SyncError) -> Int)? = nil
    ) throws(SyncError) -> StreamCounts {
        var total = StreamCounts()
        var number = pass.firstPage
        let recording = pass.detectsDeletions && softDelete != nil
        while true {
            try context.checkCancellation()
            let page = try fetch(number)
            let deleted: Int = try inTransaction(page: number) { connection throws(SyncError) in
                let counts = try write(page, connection)
                total.add(counts)
                if recording {
                    try checkpoints.recordKeys(stream: stream, page: number, keys: page.keys, on: connection)
                }
                if page.isLast {
                    var deleted = 0
                    if recording, let softDelete {
                        deleted = try softDelete(try checkpoints.recordedKeys(stream: stream, on: connection), connection)
                    }
                    try checkpoints.complete(stream: stream, pass: pass, on: connection)
                    return deleted
                }
                try checkpoints.advance(stream: stream, pass: pass, nextPage: number + 1, keysRecorded: recording, on: connection)
                return 0
            }
            context.logger.debug("page written", metadata: [
                "sync.stream": "\(stream)", "sync.page": "\(number)", "sync.pages": "\(page.totalPages.map(String.init) ?? "?")",
            ])
            context.reportPage(stream: stream, page: number, pages: page.totalPages, counts: total)
            if deleted > 0 {
                context.logger.info("rows deleted upstream marked deleted", metadata: ["sync.stream": "\(stream)", "sync.deleted": "\(deleted)"])
            }
            if page.isLast { return total }
            number += 1
        }
    }

    private func inTransaction<T>(page: Int, _ body: (PostgresConnection) throws(SyncError) -> T) throws(SyncError) -> T {
        do {
            return try context.database.withTransaction { connection in try body(connection) }
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError.database(error, while: "writing page \(page) of \(stream)")
        }
    }
}
