/// Asks a worker to run one sync of its tenant.
public struct SyncCommand: Codable, Sendable, Equatable {
    /// The run this sync belongs to; echoed in every ``Progress`` and the ``RunResult``.
    public var runID: String
    /// Scan everything instead of resuming from checkpoints.
    public var full: Bool
    /// Optional lower bound of the date range (`YYYY-MM-DD`), for connectors that filter by date.
    public var startDate: String?
    /// Optional upper bound of the date range (`YYYY-MM-DD`).
    public var endDate: String?

    public init(runID: String, full: Bool = false, startDate: String? = nil, endDate: String? = nil) {
        self.runID = runID
        self.full = full
        self.startDate = startDate
        self.endDate = endDate
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case full
        case startDate = "start_date"
        case endDate = "end_date"
    }
}
