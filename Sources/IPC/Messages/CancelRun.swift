/// Asks a worker to stop the sync of `runID` after the batch in hand; the worker stays up.
///
/// What was committed stays, with its checkpoint, so the next sync resumes after it. The run's
/// `result` arrives as usual, with status `cancelled`. A `cancel` for a run the worker is not
/// syncing (already finished, or never started) is ignored.
public struct CancelRun: Codable, Sendable, Equatable {
    public var runID: String
    /// Why, for the worker's log and the run's error message.
    public var reason: String

    public init(runID: String, reason: String) {
        self.runID = runID
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case reason
    }
}
