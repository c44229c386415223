/// A stored run, handed to ``RunCoordinator``'s task group to execute.
struct RunRequest: Sendable {
    var runID: String
    var tenantIDs: [String]
    var options: SyncOptions
    /// What started the run (`api`, `schedule`, `requeue:<run id>`), for the run's metrics.
    var trigger: String
}
