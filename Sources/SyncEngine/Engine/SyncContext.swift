import CurlHTTP
import IPC
import Logging
import Postgres
import Synchronization

/// Everything a connector needs while syncing one stream of one run.
///
/// Lives on the worker's sync thread: the connection and the HTTP client are not shared.
public final class SyncContext {
    public let tenantID: String
    public let command: SyncCommand
    public let database: PostgresConnection
    public let http: CurlHTTPClient
    public var logger: Logger
    private let cancellation: CancellationFlag
    private let pageReporter: (_ stream: String, _ page: Int, _ pages: Int?, _ counts: StreamCounts) -> Void
    /// Opens another connection bound to the tenant like `database`; `nil` when the caller has none to give.
    private let connect: (() throws -> PostgresConnection)?
    /// The second connection, once opened (or `.some(nil)` once it could not be).
    private var second: PostgresConnection??
    /// Each stream's counts as of its last committed batch; written by the writer thread.
    private let committed = Mutex<[String: StreamCounts]>([:])

    public init(
        tenantID: String,
        command: SyncCommand,
        database: PostgresConnection,
        http: CurlHTTPClient,
        logger: Logger,
        cancellation: CancellationFlag,
        connect: (() throws -> PostgresConnection)? = nil,
        pageReporter: @escaping (_ stream: String, _ page: Int, _ pages: Int?, _ counts: StreamCounts) -> Void
    ) {
        self.tenantID = tenantID
        self.command = command
        self.database = database
        self.http = http
        self.logger = logger
        self.cancellation = cancellation
        self.pageReporter = pageReporter
        self.connect = connect
    }

    /// A second connection to the tenant's database, opened the first time it is asked for and kept
    /// for the run, for writing one batch while the one before it is still running; `nil` if it
    /// cannot be opened (the run then writes on `database` alone, and says so once in the log).
    func secondConnection() -> PostgresConnection? {
        if let second { return second }
        var opened: PostgresConnection?
        if let connect {
            do {
                opened = try connect()
            } catch {
                logger.notice("writing on one database connection: a second could not be opened", metadata: ["error": "\(error)"])
            }
        }
        second = .some(opened)
        return opened
    }

    /// The run this context belongs to.
    public var runID: String { command.runID }

    /// Whether the worker was asked to stop; connectors check it between pages.
    public var isCancelled: Bool { cancellation.isCancelled }

    /// Throws ``SyncError/Code/cancelled`` if the worker was asked to stop.
    public func checkCancellation() throws(SyncError) {
        if isCancelled { throw SyncError(code: .cancelled, message: "run cancelled: \(cancellation.reason ?? "worker shutting down")") }
    }

    /// Reports that a page of `stream` was written, with the stream's counts so far.
    public func reportPage(stream: String, page: Int, pages: Int?, counts: StreamCounts) {
        committed.withLock { $0[stream] = counts }
        pageReporter(stream, page, pages, counts)
    }

    /// Records `stream`'s counts after a commit that reports no page (deletions confirmed at its end).
    func recordCommitted(stream: String, counts: StreamCounts) {
        committed.withLock { $0[stream] = counts }
    }

    /// What `stream` has committed so far in this run: a failed or cancelled stream reports these.
    public func committedCounts(stream: String) -> StreamCounts {
        committed.withLock { $0[stream] } ?? StreamCounts()
    }
}
