import Support

/// Tenant rows (run, tenant) this supervisor runs or follows itself, which the queue poller leaves alone.
final class HandledTenantRows: Sendable {
    private let rows = LockedValue<Set<String>>([])

    private static func key(_ runID: String, _ tenantID: String) -> String { runID + "\u{0}" + tenantID }

    func insert(_ runID: String, _ tenantIDs: [String]) {
        rows.withLock { rows in for tenantID in tenantIDs { rows.insert(Self.key(runID, tenantID)) } }
    }

    /// Adds the row; false if it was already handled here.
    func insertIfAbsent(_ runID: String, _ tenantID: String) -> Bool {
        rows.withLock { $0.insert(Self.key(runID, tenantID)).inserted }
    }

    func remove(_ runID: String, _ tenantID: String) {
        _ = rows.withLock { $0.remove(Self.key(runID, tenantID)) }
    }

    /// The runs with a row handled here.
    var runIDs: Set<String> {
        rows.withLock { rows in Set(rows.map { String($0.prefix { $0 != "\u{0}" }) }) }
    }

    /// The tenants of `runID` handled here.
    func tenants(of runID: String) -> [String] {
        let prefix = runID + "\u{0}"
        return rows.withLock { rows in rows.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } }
    }
}
