import Foundation
import Postgres
@testable import SupervisorCore
import Support
import Testing
import TestSupport

/// Two `tenantsync serve` processes on one database and one demo upstream.
enum SeveralSupervisors {
    static let siteNames = siteNames(6)

    /// `count` tenant ids: `lease-hotel-1` and on.
    static func siteNames(_ count: Int) -> [String] { (1...count).map { "lease-hotel-\($0)" } }

    /// Supervisor `id` of the pair, running all six tenants at once when it holds them.
    static func configure(_ configuration: inout SupervisorConfiguration, id: String, leases: LeaseSettings) {
        configuration.concurrency = 6
        configuration.supervisorID = id
        configuration.leases = leases
    }

    /// Tenant ids this supervisor runs a ready worker for, with the worker's pid.
    static func readyHere(_ api: APIClient, owner: String) async throws -> [String: Int32] {
        var ready: [String: Int32] = [:]
        for (id, tenant) in try await api.tenants() where tenant.owner == owner && tenant.state == .ready {
            if let pid = tenant.pid { ready[id] = pid }
        }
        return ready
    }

    /// Lease owners as stored, tenant id → owner.
    static func leaseOwners(_ url: String) async throws -> [String: String] {
        try await offPool {
            let connection = try PostgresConnection(url: url)
            var owners: [String: String] = [:]
            for row in try connection.query("SELECT tenant_id, owner_id FROM tenant_leases WHERE expires_at > now()", []).rows {
                owners[row["tenant_id"] ?? ""] = row["owner_id"] ?? ""
            }
            return owners
        }
    }

    /// Waits until A and B each hold `each` tenants (three unless told) with a ready worker, and both
    /// agree on who holds what. Returns the pids by tenant, across both.
    static func waitForSplit(_ a: ServeProcess, _ b: ServeProcess, each: Int = 3, timeout: Duration = .seconds(60)) async throws -> [String: Int32] {
        try await eventually(timeout: timeout, "the tenants to split \(each)/\(each) between A and B") { () -> [String: Int32]? in
            let onA = try await readyHere(a.api, owner: "sup-a")
            let onB = try await readyHere(b.api, owner: "sup-b")
            guard onA.count == each, onB.count == each, Set(onA.keys).isDisjoint(with: onB.keys) else { return nil }
            // Each sees the other's tenants as remote, owned there, without a pid.
            let seenByA = try await a.api.tenants()
            let seenByB = try await b.api.tenants()
            for id in onB.keys {
                guard let seen = seenByA[id], seen.state == .remote, seen.owner == "sup-b", seen.pid == nil else { return nil }
            }
            for id in onA.keys {
                guard let seen = seenByB[id], seen.state == .remote, seen.owner == "sup-a", seen.pid == nil else { return nil }
            }
            return onA.merging(onB) { first, _ in first }
        }
    }

    /// `tenantsync status` against `api`: its exit status and output.
    static func statusTable(_ api: APIClient) async throws -> (status: Int32, output: String) {
        try await TenantsyncCLI.run(["status"], against: api)
    }
}
