import Synchronization

/// Which run each tenant is part of until it finishes there: a tenant never syncs twice at once.
final class ActiveTenantRuns: Sendable {
    private let runs = Mutex<[String: String]>([:])

    /// Claims `tenantIDs` for `runID`; returns the ones already claimed, with the run holding them.
    func claim(_ tenantIDs: [String], for runID: String) -> [String: String] {
        runs.withLock { runs in
            var busy: [String: String] = [:]
            for tenantID in tenantIDs {
                if let holder = runs[tenantID] {
                    busy[tenantID] = holder
                } else {
                    runs[tenantID] = runID
                }
            }
            return busy
        }
    }

    /// The run `tenantID` is part of, if any.
    func run(of tenantID: String) -> String? {
        runs.withLock { $0[tenantID] }
    }

    /// Releases `tenantID` once it finished its part of `runID`.
    func release(_ tenantID: String, from runID: String) {
        runs.withLock { runs in
            if runs[tenantID] == runID { runs.removeValue(forKey: tenantID) }
        }
    }
}
