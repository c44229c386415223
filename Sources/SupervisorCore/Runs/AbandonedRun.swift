/// A run a previous supervisor left unfinished, with the tenants it never finished.
struct AbandonedRun: Sendable {
    var runID: String
    var scope: String
    var options: SyncOptions
    var tenantIDs: [String]
}
