/// Asks a worker to test its tenant's connection to the upstream with the tenant's settings, without syncing.
///
/// The worker answers with a ``ConnectionCheckResult`` carrying the same `check_id`, whether or not a sync
/// is running (the test runs beside it).
public struct CheckConnection: Codable, Sendable, Equatable {
    public var checkID: String

    public init(checkID: String) {
        self.checkID = checkID
    }

    enum CodingKeys: String, CodingKey {
        case checkID = "check_id"
    }
}
