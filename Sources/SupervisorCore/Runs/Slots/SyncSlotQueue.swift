/// Decides which waiting tenant sync gets the next free slot: round-robin across runs, so a
/// customer's one-tenant sync is not starved behind a sync-all of hundreds, and never more than
/// `maxPerHost` syncs at once against one upstream host.
///
/// A freed slot goes to the run served least recently (a run never served first, then the oldest
/// waiting), and within a run to its first waiting tenant whose host has room. A pure state
/// machine: ``SyncSlots`` holds it under a lock and resumes the waiters it grants.
struct SyncSlotQueue {
    /// One tenant's wait for a slot.
    struct Ticket: Hashable, Sendable {
        var id: UInt64
        var runID: String
        var tenantID: String
        /// The upstream host the sync will call; `nil` is never capped.
        var host: String?
    }

    /// Slots in all.
    let capacity: Int
    /// Syncs at once against one host; `nil` caps nothing but ``capacity``.
    let maxPerHost: Int?
    private(set) var inUse = 0
    private var perHost: [String: Int] = [:]
    /// Waiting tickets per run, first in first out.
    private var lanes: [String: [Ticket]] = [:]
    /// Runs with waiting tickets, oldest first.
    private var laneOrder: [String] = []
    /// Slots held per run, and the sequence number of each run's latest grant (while it holds or waits).
    private var heldByRun: [String: Int] = [:]
    private var lastGrant: [String: UInt64] = [:]
    private var grants: UInt64 = 0

    init(capacity: Int, maxPerHost: Int?) {
        self.capacity = max(1, capacity)
        self.maxPerHost = maxPerHost.map { max(1, $0) }
    }

    /// Tickets waiting in all.
    var waiting: Int { lanes.values.reduce(0) { $0 + $1.count } }

    /// Takes a slot for `ticket` now (true) or queues it (false) until a ``release(_:)`` grants it.
    mutating func request(_ ticket: Ticket) -> Bool {
        // Every waiting ticket is held back by the slots or by its host (a release grants greedily),
        // so a ticket that finds room now takes nothing from them.
        if isFree(for: ticket.host) {
            take(ticket)
            return true
        }
        if lanes[ticket.runID] == nil { laneOrder.append(ticket.runID) }
        lanes[ticket.runID, default: []].append(ticket)
        return false
    }

    /// Gives back the slot of `ticket`, which was granted; returns the tickets granted in its place.
    mutating func release(_ ticket: Ticket) -> [Ticket] {
        inUse -= 1
        if let host = ticket.host {
            perHost[host, default: 1] -= 1
            if perHost[host] == 0 { perHost[host] = nil }
        }
        heldByRun[ticket.runID, default: 1] -= 1
        if heldByRun[ticket.runID] == 0 {
            heldByRun[ticket.runID] = nil
            if lanes[ticket.runID] == nil { lastGrant[ticket.runID] = nil }
        }
        var granted: [Ticket] = []
        while let next = nextGrantable() {
            take(next)
            granted.append(next)
        }
        return granted
    }

    /// Why `tenantID` waits, or `nil` if it does not.
    func waitReason(of tenantID: String) -> SyncWaitReason? {
        guard let ticket = lanes.values.lazy.flatMap({ $0 }).first(where: { $0.tenantID == tenantID }) else { return nil }
        if let host = ticket.host, let maxPerHost, inUse < capacity, perHost[host, default: 0] >= maxPerHost {
            return .hostAtLimit(host: host, limit: maxPerHost)
        }
        return .allSlotsBusy(inUse: inUse, capacity: capacity)
    }

    private func isFree(for host: String?) -> Bool {
        guard inUse < capacity else { return false }
        guard let host, let maxPerHost else { return true }
        return perHost[host, default: 0] < maxPerHost
    }

    private mutating func take(_ ticket: Ticket) {
        inUse += 1
        if let host = ticket.host { perHost[host, default: 0] += 1 }
        heldByRun[ticket.runID, default: 0] += 1
        grants += 1
        lastGrant[ticket.runID] = grants
    }

    /// The next ticket to grant, removed from its lane: from the run served least recently that has
    /// a ticket whose host has room (its first such ticket).
    private mutating func nextGrantable() -> Ticket? {
        guard inUse < capacity else { return nil }
        // A run's turn: the sequence number of its latest grant (0: never served), then its lane's age.
        // One pass in the lanes' age order, no sort: the first lane with the lowest turn and a ticket
        // whose host has room wins, and a never-served one ends the search. Sorting every lane on every
        // release took 17 % of the supervisor's samples (`perf`) under 1,000 `POST /api/sync` a second,
        // each run a lane of its own, thousands of them waiting.
        var best: (turn: UInt64, runID: String, position: Int)?
        for runID in laneOrder {
            let turn = lastGrant[runID] ?? 0
            if let best, best.turn <= turn { continue }
            guard let position = lanes[runID]?.firstIndex(where: { isFree(for: $0.host) }) else { continue }
            best = (turn, runID, position)
            if turn == 0 { break }
        }
        guard let best else { return nil }
        let ticket = lanes[best.runID]!.remove(at: best.position)
        if lanes[best.runID]!.isEmpty {
            lanes[best.runID] = nil
            // Usually the oldest lane: found at once, not compared with every other run's id.
            if let index = laneOrder.firstIndex(of: best.runID) { laneOrder.remove(at: index) }
        }
        return ticket
    }
}
