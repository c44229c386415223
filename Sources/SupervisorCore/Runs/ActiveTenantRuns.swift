import Support

/// The one-tenant run each tenant is syncing for, with its options, until it finishes there.
///
/// A request for one tenant with the same options as its run in progress joins that run instead
/// of queueing a second sync of the tenant; a request with other options is a run of its own (its
/// worker controller makes it wait for the sync in hand).
final class ActiveTenantRuns: Sendable {
    private let runs = LockedValue<[String: (runID: String, options: SyncOptions)]>([:])

    /// Claims `tenantID` for `runID` if no run holds it. Returns the run to join instead, if one holds
    /// it with the same options; `nil` otherwise (claimed, or held with other options and left to it).
    func claim(_ tenantID: String, for runID: String, options: SyncOptions) -> String? {
        runs.withLock { runs in
            guard let holder = runs[tenantID] else {
                runs[tenantID] = (runID, options)
                return nil
            }
            return holder.options == options ? holder.runID : nil
        }
    }

    /// Claims `tenantID` for `runID` only if no run holds it; false if one does, whatever its options.
    func claimIfIdle(_ tenantID: String, for runID: String, options: SyncOptions) -> Bool {
        runs.withLock { runs in
            guard runs[tenantID] == nil else { return false }
            runs[tenantID] = (runID, options)
            return true
        }
    }

    /// Releases `tenantID` once it finished its part of `runID`.
    func release(_ tenantID: String, from runID: String) {
        runs.withLock { runs in
            if runs[tenantID]?.runID == runID { runs.removeValue(forKey: tenantID) }
        }
    }
}
