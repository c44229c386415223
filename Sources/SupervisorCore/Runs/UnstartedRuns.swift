import Support

/// Sync-all runs here none of whose tenants has started yet, which a new sync-all with the same
/// tenants and options joins instead of queueing another run behind them.
///
/// Joining one is as good as running a new one: no tenant of it has fetched anything yet, so it reads
/// every change the new request may be about. A tenant's part starts (and the run stops being
/// joinable) at ``started(_:)``, which ``TenantRunner`` calls when the tenant's sync for the run starts
/// (its own, or one it joined that started after the run's request), or when the part ends without a
/// sync here. A run whose tenants wait for a slot, or for a sync of another run to end, stays joinable.
/// ``enter(_:runID:accepts:)`` and ``started(_:)`` take one lock, so a request either joins before any
/// fetch for the run begins or starts a run of its own.
///
/// A run is joinable from the moment its request enters, before its row is stored: a request that
/// finds it still being stored waits for the store (``stored(_:)``) and shares its failure
/// (``failed(_:error:)``). Without that, every request arriving during the insert stored a run of its
/// own: 702 runs in 10 s of the P6 benchmark's 1,000 `POST /api/sync` a second, where one run per sync
/// of the tenant does.
///
/// Without any of this, a caller that asks for a sync-all on every change upstream (an automation's
/// webhook) queued one run per request while one sync ran: 5,997 runs in 10 s of `POST /api/sync` at
/// about 600 requests/s in the P6 benchmark, each stored, scheduled and finished on its own.
final class UnstartedRuns: Sendable {
    /// What a sync-all must match to join a run: its tenants, in order, and its options.
    struct Key: Hashable, Sendable {
        var tenantIDs: [String]
        var options: SyncOptions
    }

    /// What a request that entered does next.
    enum Entry: Sendable, Equatable {
        /// It joined this run, which is stored: answer with its id.
        case joined(String)
        /// No run was joinable: it stores the run it entered with, then reports ``stored(_:)`` or ``failed(_:error:)``.
        case storing
    }

    private struct Run {
        var key: Key
        var stored: Bool
        /// Requests that joined while the run was being stored.
        var waiters: [CheckedContinuation<String?, any Error>] = []
    }

    private struct State {
        var runs: [Key: String] = [:]
        var byID: [String: Run] = [:]
    }

    private let state = LockedValue(State())

    /// Joins the run a sync-all matching `key` may join, waiting for its store if it is being stored;
    /// without one, `runID` becomes the joinable run for `key`, to be stored by the caller.
    ///
    /// `accepts` may refuse the joinable run once stored (a run cancelled, a tenant whose lease went
    /// elsewhere): it is then never joined again, and `runID` takes its place.
    /// - Throws: the error the joined run's store failed with.
    func enter(_ key: Key, runID: String, accepts: (String) -> Bool) async throws -> Entry {
        let joined: String? = try await withCheckedThrowingContinuation { continuation in
            let answer: String?? = state.withLock { state in
                if let joinable = state.runs[key], let run = state.byID[joinable] {
                    // Nothing can have refused a run no one has the id of yet.
                    guard run.stored else {
                        state.byID[joinable]?.waiters.append(continuation)
                        return .none
                    }
                    if accepts(joinable) { return .some(joinable) }
                    state.byID.removeValue(forKey: joinable)
                }
                state.runs[key] = runID
                state.byID[runID] = Run(key: key, stored: false)
                return .some(nil)
            }
            if let answer { continuation.resume(returning: answer) }
        }
        return joined.map(Entry.joined) ?? .storing
    }

    /// `runID`, which entered as ``Entry/storing``, is stored: the requests waiting for it join it.
    func stored(_ runID: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<String?, any Error>] in
            guard let run = state.byID[runID] else { return [] }
            state.byID[runID]?.stored = true
            state.byID[runID]?.waiters = []
            return run.waiters
        }
        for waiter in waiters { waiter.resume(returning: runID) }
    }

    /// `runID` could not be stored: the requests waiting for it fail with `error`, and it is never joined.
    func failed(_ runID: String, error: any Error) {
        let waiters = state.withLock { state -> [CheckedContinuation<String?, any Error>] in
            guard let run = state.byID.removeValue(forKey: runID) else { return [] }
            if state.runs[run.key] == runID { state.runs.removeValue(forKey: run.key) }
            return run.waiters
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    /// A tenant's part of `runID` starts: the run can no longer be joined.
    func started(_ runID: String) {
        state.withLock { state in
            guard let run = state.byID[runID], run.stored else { return }
            state.byID.removeValue(forKey: runID)
            if state.runs[run.key] == runID { state.runs.removeValue(forKey: run.key) }
        }
    }

    /// Requests waiting for `runID` to be stored; for tests.
    func waiterCount(of runID: String) -> Int {
        state.withLock { $0.byID[runID]?.waiters.count ?? 0 }
    }
}
