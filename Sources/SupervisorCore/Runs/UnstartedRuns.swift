import Support

/// Sync-all runs stored here none of whose tenants has started yet, which a new sync-all with the same
/// tenants and options joins instead of queueing another run behind them.
///
/// Joining one is as good as running a new one: no tenant of it has fetched anything yet, so it reads
/// every change the new request may be about. A tenant's part starts (and the run stops being
/// joinable) at ``started(_:)``, which ``TenantRunner`` calls once the part has its slot and before it
/// claims its row or asks the worker for anything; ``join(_:)`` and ``started(_:)`` take one lock, so a
/// request either joins before any fetch begins or starts a run of its own.
///
/// Without this, a caller that asks for a sync-all on every change upstream (an automation's webhook)
/// queued one run per request while one sync ran: 5,997 runs in 10 s of `POST /api/sync` at about
/// 600 requests/s in the P6 benchmark, each stored, scheduled and finished on its own.
final class UnstartedRuns: Sendable {
    /// What a sync-all must match to join a run: its tenants, in order, and its options.
    struct Key: Hashable, Sendable {
        var tenantIDs: [String]
        var options: SyncOptions
    }

    private struct State {
        var runs: [Key: String] = [:]
        var keys: [String: Key] = [:]
    }

    private let state = LockedValue(State())

    /// Records `runID`, just stored, as joinable by sync-alls matching `key`.
    func add(_ runID: String, _ key: Key) {
        state.withLock { state in
            // A run already waiting under this key stays the one to join; the newer one only ran
            // because two requests arrived together.
            guard state.runs[key] == nil else { return }
            state.runs[key] = runID
            state.keys[runID] = key
        }
    }

    /// The run a sync-all matching `key` joins, if one has not started; `accepts` may refuse it (a run
    /// cancelled, a tenant whose lease went elsewhere), and then it is never joined again.
    func join(_ key: Key, accepts: (String) -> Bool) -> String? {
        state.withLock { state in
            guard let runID = state.runs[key] else { return nil }
            guard accepts(runID) else {
                state.runs.removeValue(forKey: key)
                state.keys.removeValue(forKey: runID)
                return nil
            }
            return runID
        }
    }

    /// A tenant's part of `runID` starts: the run can no longer be joined.
    func started(_ runID: String) {
        state.withLock { state in
            guard let key = state.keys.removeValue(forKey: runID) else { return }
            if state.runs[key] == runID { state.runs.removeValue(forKey: key) }
        }
    }
}
