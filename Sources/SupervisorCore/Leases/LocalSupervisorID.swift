import Foundation

/// The default supervisor id, `host:pid`, and whether the process such an id names on this host is gone.
///
/// A supervisor restarted with the default id gets a new pid, so a new id: it recognises the rows its
/// dead predecessors on this host left (runs, leases, memberships) by this test instead of by its own id.
enum LocalSupervisorID {
    /// The default id of the process `pid` on `host`.
    static func make(host: String, pid: Int32) -> String {
        "\(host):\(pid)"
    }

    /// Whether `id` is the default id of a process on `host` that no longer exists (never `own`).
    static func isDead(_ id: String, host: String, own: String) -> Bool {
        let prefix = host + ":"
        guard id != own, id.hasPrefix(prefix), let pid = Int32(id.dropFirst(prefix.count)), pid > 0 else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
