import Dispatch
import Postgres

/// The worker's database connection, kept from one sync to the next for a short while.
///
/// Opening a connection costs a server process and an authentication round trip, which a tenant
/// synced many times a minute (or an automation firing requests in a burst) would pay on every
/// run. A kept connection is checked by binding it to the tenant again before each run — one
/// round trip that also fails fast if the server closed it while idle, in which case a fresh one
/// is opened. After a run that did not succeed the connection is dropped, so no state of a failed
/// or cancelled run can leak into the next; after ``idleTimeout`` without a run it is closed, so
/// hundreds of idle tenants do not hold hundreds of server connections.
///
/// Touched only on `queue`, the worker's sync queue, one run at a time.
final class TenantConnectionCache: @unchecked Sendable {
    /// How long a connection is kept without a run.
    static let idleTimeout: DispatchTimeInterval = .seconds(10)

    private let queue: DispatchQueue
    private var kept: PostgresConnection?
    /// Bumped whenever `kept` changes hands, so a stale idle timer leaves a newer connection alone.
    private var generation = 0

    init(queue: DispatchQueue) {
        self.queue = queue
    }

    /// A connection bound to `tenantID`: the kept one if it still answers, else a new one.
    func connection(url: String, tenantID: String) throws -> PostgresConnection {
        generation += 1
        if let kept {
            self.kept = nil
            do {
                try TenantSession.bind(kept, tenantID: tenantID)
                return kept
            } catch {
                // Closed by the server while idle: open a new one below.
            }
        }
        let connection = try PostgresConnection(url: url)
        try TenantSession.bind(connection, tenantID: tenantID)
        return connection
    }

    /// Keeps `connection` for the next run if the run it served succeeded; drops it otherwise.
    func finished(_ connection: PostgresConnection, succeeded: Bool) {
        generation += 1
        guard succeeded, connection.isConnected else { return }
        kept = connection
        let keptGeneration = generation
        queue.asyncAfter(deadline: .now() + Self.idleTimeout) { [self] in
            if generation == keptGeneration { kept = nil }
        }
    }
}
