/// Progress of a run, sent by the worker after each page it writes.
public struct SyncProgress: Codable, Sendable, Equatable {
    public var runID: String
    /// The stream being synced, for example `reservations`.
    public var stream: String
    /// 1-based position of ``stream`` among the tenant's streams.
    public var step: Int
    /// Number of streams in the tenant's sync.
    public var steps: Int
    /// 1-based page just written.
    public var page: Int
    /// Total pages of the stream when the upstream says so.
    public var pages: Int?
    /// Stream counts so far.
    public var counts: StreamCounts

    public init(runID: String, stream: String, step: Int, steps: Int, page: Int, pages: Int?, counts: StreamCounts) {
        self.runID = runID
        self.stream = stream
        self.step = step
        self.steps = steps
        self.page = page
        self.pages = pages
        self.counts = counts
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case stream, step, steps, page, pages, counts
    }
}
