import DemoUpstreamKit
@testable import SupervisorCore
import TestSupport

/// Two `tenantsync serve` processes, `sup-a` and `sup-b`, on one database and one demo upstream,
/// with their tenants (``SeveralSupervisors/siteNames(_:)``, six unless told) split evenly between them.
struct TwoSupervisors: Sendable {
    /// The stack: its upstream, database and first supervisor (`sup-a`, `stack.serve`).
    let stack: SupervisorStack
    let b: ServeProcess

    var a: ServeProcess { stack.serve }
    var databaseURL: String { stack.databaseURL }
    /// The pid of each tenant's one worker, on whichever supervisor holds it.
    let pids: [String: Int32]
    /// Every tenant's id.
    var tenantIDs: [String] { pids.keys.sorted() }
}

/// Runs `body` once `sup-a` and `sup-b` hold three tenants each; both stop, and everything is
/// removed, when it returns or throws.
///
/// - Parameters:
///   - tenants: how many tenants, an even number (half on each supervisor).
///   - accommodations, bookings, latency: each site's size and the upstream's latency.
///   - leases: both supervisors' lease settings.
///   - configure: changes both supervisors' configuration (each keeps its own id).
func withTwoSupervisors<T>(
    tenants: Int = 6,
    accommodations: Int = 2,
    bookings: Int = 2,
    latency: Duration = .zero,
    leases: LeaseSettings = LeaseSettings(duration: 6, renewInterval: 2, pollInterval: 0.5),
    configure: @escaping (inout SupervisorConfiguration) -> Void = { _ in },
    _ body: (TwoSupervisors) async throws -> T
) async throws -> T {
    let sites = SeveralSupervisors.siteNames(tenants).map { DemoSite(name: $0, accommodations: accommodations, bookings: bookings) }
    return try await withSupervisorStack(sites: sites, latency: latency, as: .process, configure: { configuration, _ in
        SeveralSupervisors.configure(&configuration, id: "sup-a", leases: leases)
        configure(&configuration)
    }) { stack in
        let b = try await stack.startServe { $0.supervisorID = "sup-b" }
        defer { b.cleanUp() }
        let pids = try await SeveralSupervisors.waitForSplit(stack.serve, b, each: tenants / 2)
        return try await body(TwoSupervisors(stack: stack, b: b, pids: pids))
    }
}
