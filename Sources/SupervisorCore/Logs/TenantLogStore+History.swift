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
        return Array(LogHistoryReader.merge(perTenant).suffix(limit))
    }

    /// ``history(_:limit:)`` on a thread of its own.
    public func historyOffPool(_ filter: LogFilter, limit: Int) async -> [TenantLogEntry] {
        await offPool(name: "tenantsync-logs") { self.history(filter, limit: limit) }
    }

    private func history(of tenant: String, _ filter: LogFilter, limit: Int) -> [TenantLogEntry] {
        LogHistoryReader(disk: disk).lines(of: tenant, ring: ring(of: tenant), filter, limit: limit)
    }
}
