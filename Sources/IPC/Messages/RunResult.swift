/// The outcome of one run of one tenant.
public struct RunResult: Codable, Sendable, Equatable {
    /// The overall status of a tenant's run.
    public enum Status: String, Codable, Sendable {
        /// Every stream succeeded.
        case succeeded
        /// A stream failed; later streams may have been skipped.
        case failed
        /// The run stopped early because the worker was asked to shut down.
        case cancelled
    }

    public var runID: String
    public var status: Status
    /// One entry per stream, in the order they ran (or would have).
    public var streams: [StreamResult]
    /// Why the run failed, naming the stream; `nil` on success.
    public var error: String?
    /// Wall time of the run in milliseconds.
    public var durationMilliseconds: Int

    public init(runID: String, status: Status, streams: [StreamResult], error: String?, durationMilliseconds: Int) {
        self.runID = runID
        self.status = status
        self.streams = streams
        self.error = error
        self.durationMilliseconds = durationMilliseconds
    }

    /// The sum of every stream's counts.
    public var totals: StreamCounts {
        var total = StreamCounts()
        for stream in streams { total.add(stream.counts) }
        return total
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case status, streams, error
        case durationMilliseconds = "duration_ms"
    }
}
