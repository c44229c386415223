/// Options of a sync request, stored with the run and passed to every tenant's worker.
public struct SyncOptions: Codable, Sendable, Hashable {
    /// Scan everything instead of resuming from checkpoints.
    public var full: Bool
    public var startDate: String?
    public var endDate: String?

    public init(full: Bool = false, startDate: String? = nil, endDate: String? = nil) {
        self.full = full
        self.startDate = startDate
        self.endDate = endDate
    }

    enum CodingKeys: String, CodingKey {
        case full
        case startDate = "start_date"
        case endDate = "end_date"
    }
}
