import Foundation
import Support

extension TenantLogStore {
    /// The most lines one tail may ask for, from memory and files together.
    public static let maxTailLines = 50_000

    /// The last `limit` lines that match `filter`, oldest first: from the in-memory ring, and from
    /// the tenant's files on disk when the ring does not hold enough (`limit` more than it has, or
    /// `filter.since` earlier than its oldest line, or lines from before a restart).
    ///
    /// The files are read backwards from just before the ring's oldest line, newest file first, so
    /// no line is shown twice and only as much is read as the tail needs. Lines from the files have
    /// sequence 0 (see ``TenantLogEntry/parse(fileLine:tenant:)``); a filter with `after` uses the
    /// ring only. All tenants are merged when `filter.tenant` is `nil`, each tenant's order kept.
    ///
    /// Blocks on file reads: call it off the cooperative thread pool (``historyOffPool(_:limit:)``).
    public func history(_ filter: LogFilter, limit: Int) -> [TenantLogEntry] {
        let limit = min(limit, Self.maxTailLines)
        guard limit > 0 else { return [] }
        let tenants = filter.tenant.map { [$0] } ?? tenantIDs()
        let perTenant = tenants.map { history(of: $0, filter, limit: limit) }
        return Array(Self.merge(perTenant).suffix(limit))
    }

    /// ``history(_:limit:)`` on a thread of its own.
    public func historyOffPool(_ filter: LogFilter, limit: Int) async -> [TenantLogEntry] {
        await offPool(name: "tenantsync-logs") { self.history(filter, limit: limit) }
    }

    private func history(of tenant: String, _ filter: LogFilter, limit: Int) -> [TenantLogEntry] {
        let ring = ring(of: tenant)
        let fromRing = Array(ring.filter(filter.matches).suffix(limit))
        let ringReachesSince = filter.since.map { since in ring.first.map { $0.timestamp < since } ?? false } ?? false
        guard disk.enabled, filter.after == nil, fromRing.count < limit, !ringReachesSince else { return fromRing }

        var older: [TenantLogEntry] = []
        reading: for slice in disk.slices(of: tenant, before: ring.first?.sequence) {
            while let bytes = slice.previousLine() {
                guard let entry = TenantLogEntry.parse(fileLine: bytes, tenant: tenant) else { continue }
                // Files are in time order, so the first line before `since` ends the search.
                if let since = filter.since, entry.timestamp < since { break reading }
                guard filter.matches(entry) else { continue }
                older.append(entry)
                if older.count + fromRing.count >= limit { break reading }
            }
        }
        return older.reversed() + fromRing
    }

    /// Merges per-tenant lists, each oldest first, keeping each list's order: by sequence between
    /// lines from memory, by time when a line from the files takes part.
    static func merge(_ lists: [[TenantLogEntry]]) -> [TenantLogEntry] {
        let lists = lists.filter { !$0.isEmpty }
        if lists.count <= 1 { return lists.first ?? [] }
        func before(_ a: TenantLogEntry, _ b: TenantLogEntry) -> Bool {
            if a.sequence > 0, b.sequence > 0 { return a.sequence < b.sequence }
            if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
            return a.sequence < b.sequence
        }
        var heads = Array(repeating: 0, count: lists.count)
        var merged: [TenantLogEntry] = []
        merged.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        while true {
            var best: Int?
            for index in lists.indices where heads[index] < lists[index].count {
                if let current = best, !before(lists[index][heads[index]], lists[current][heads[current]]) { continue }
                best = index
            }
            guard let chosen = best else { return merged }
            merged.append(lists[chosen][heads[chosen]])
            heads[chosen] += 1
        }
    }
}
