import Foundation

/// Reads a tenant's older lines back from its log files, newest file first and each file backwards,
/// to complete what the in-memory ring holds, and merges several tenants' lines into one list.
///
/// Blocks on file reads: ``TenantLogStore/history(_:limit:)`` runs it off the cooperative thread pool.
struct LogHistoryReader {
    let disk: LogDiskWriter

    /// `tenant`'s last `limit` lines that match `filter`, oldest first: those of `ring` (its lines held in
    /// memory, oldest first), preceded by older ones from its files when `ring` does not hold enough.
    func lines(of tenant: String, ring: [TenantLogEntry], _ filter: LogFilter, limit: Int) -> [TenantLogEntry] {
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
