/// The outcome of one stream within a run.
public struct StreamResult: Codable, Sendable, Equatable {
    /// What became of a stream.
    public enum Status: String, Codable, Sendable {
        case succeeded
        case failed
        /// Not run because a parent stream failed; ``StreamResult/error`` names the parent.
        case skipped
        /// Not run because the run was cancelled.
        case cancelled
    }

    public var stream: String
    public var status: Status
    public var counts: StreamCounts
    public var error: String?

    public init(stream: String, status: Status, counts: StreamCounts = StreamCounts(), error: String? = nil) {
        self.stream = stream
        self.status = status
        self.counts = counts
        self.error = error
    }
}
