/// Proof of life from a worker.
public struct Heartbeat: Codable, Sendable, Equatable {
    /// Increases by one with every heartbeat of this worker.
    public var sequence: Int
    /// The run in progress, if any.
    public var runID: String?

    public init(sequence: Int, runID: String? = nil) {
        self.sequence = sequence
        self.runID = runID
    }

    enum CodingKeys: String, CodingKey {
        case sequence = "seq"
        case runID = "run_id"
    }
}
