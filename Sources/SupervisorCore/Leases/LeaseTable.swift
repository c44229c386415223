import Synchronization

/// Which tenants this supervisor holds (each with the moment its lease ends locally), and who
/// held the others when the lease loop last looked.
///
/// The lease loop writes it; the fleet, the run coordinator and the API read it without waiting
/// for the database.
final class LeaseTable: Sendable {
    private struct State {
        /// Held tenants, each with the local instant its lease ends (measured from before the
        /// statement that claimed or renewed it, so never later than the database's `expires_at`).
        var held: [String: ContinuousClock.Instant] = [:]
        /// Owners of every leased tenant, as last read.
        var owners: [String: String] = [:]
        /// Held tenants being handed back: their worker is stopping, no new sync starts here.
        var releasing: Set<String> = []
    }

    /// This supervisor's id in leases and run rows.
    let ownerID: String
    private let state = Mutex(State())

    init(ownerID: String) {
        self.ownerID = ownerID
    }

    /// Whether this supervisor holds `tenantID` now.
    func holds(_ tenantID: String) -> Bool {
        state.withLock { $0.held[tenantID] != nil }
    }

    /// The tenants this supervisor holds.
    var held: Set<String> {
        state.withLock { Set($0.held.keys) }
    }

    /// Whether syncs of `tenantID` run here: it is held and not being handed back.
    func runsHere(_ tenantID: String) -> Bool {
        state.withLock { $0.held[tenantID] != nil && !$0.releasing.contains(tenantID) }
    }

    /// The tenants whose syncs run here.
    var runnable: Set<String> {
        state.withLock { Set($0.held.keys).subtracting($0.releasing) }
    }

    /// Marks `tenantIDs` as being handed back.
    func markReleasing(_ tenantIDs: some Sequence<String>) {
        state.withLock { $0.releasing.formUnion(tenantIDs) }
    }

    /// Who holds `tenantID`: this supervisor, another one, or nobody (`nil`).
    func owner(of tenantID: String) -> String? {
        state.withLock { $0.held[tenantID] != nil ? ownerID : $0.owners[tenantID] }
    }

    /// Records newly claimed or renewed leases valid until `until`; returns the ones that are new.
    func hold(_ tenantIDs: [String], until: ContinuousClock.Instant) -> [String] {
        state.withLock { state in
            var gained: [String] = []
            for tenantID in tenantIDs {
                if state.held.updateValue(until, forKey: tenantID) == nil { gained.append(tenantID) }
                state.owners[tenantID] = ownerID
            }
            return gained
        }
    }

    /// Forgets `tenantIDs`; returns the ones that were held.
    @discardableResult
    func drop(_ tenantIDs: some Sequence<String>) -> [String] {
        state.withLock { state in
            tenantIDs.filter { tenantID in
                state.owners[tenantID] = nil
                state.releasing.remove(tenantID)
                return state.held.removeValue(forKey: tenantID) != nil
            }
        }
    }

    /// Held tenants whose lease ends before `instant`.
    func expiring(before instant: ContinuousClock.Instant) -> [String] {
        state.withLock { state in state.held.filter { $0.value < instant }.map(\.key) }
    }

    /// Replaces the view of other supervisors' leases.
    func setOwners(_ owners: [String: String]) {
        state.withLock { state in
            var merged = owners.filter { $0.value != ownerID }
            for tenantID in state.held.keys { merged[tenantID] = ownerID }
            state.owners = merged
        }
    }
}
