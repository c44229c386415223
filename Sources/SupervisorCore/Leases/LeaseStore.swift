import Foundation
import Postgres

/// The lease and membership rows of one supervisor in PostgreSQL.
///
/// Every claim is one statement whose conflict clause only takes a row that is free or expired
/// (or already ours), so two supervisors can never both come away holding a tenant.
struct LeaseStore: Sendable {
    let database: PostgresClient
    let ownerID: String
    let duration: Double

    /// What one heartbeat saw.
    struct Beat: Sendable {
        /// The tenants whose leases this supervisor still held and renewed; `nil` for a look without renewal.
        var renewed: [String]?
        /// Live supervisors, this one included.
        var liveMembers: Int
        /// The owner of every unexpired lease.
        var owners: [String: String]
    }

    /// Renews the membership row and every lease this supervisor holds, in one transaction (or, when
    /// `renew` is false, only reads the membership and the leases).
    func beat(renew: Bool = true) async throws -> Beat {
        try await database.withConnection { [ownerID, duration] connection in
            try connection.withTransaction { connection in
                var renewed: [String]?
                if renew {
                    _ = try connection.query("""
                        INSERT INTO supervisor_members (supervisor_id, expires_at) VALUES ($1, now() + make_interval(secs => $2))
                        ON CONFLICT (supervisor_id) DO UPDATE SET heartbeat_at = now(), expires_at = EXCLUDED.expires_at
                        """, [.text(ownerID), .double(duration)])
                    renewed = try connection.query("""
                        UPDATE tenant_leases SET expires_at = now() + make_interval(secs => $2)
                        WHERE owner_id = $1 AND expires_at > now() RETURNING tenant_id
                        """, [.text(ownerID), .double(duration)]).rows.map { try $0.decode(String.self, "tenant_id") }
                }
                let live = try connection.query(
                    "SELECT count(*)::int AS live FROM supervisor_members WHERE expires_at > now()", []
                ).rows.first.map { try $0.decode(Int.self, "live") } ?? 1
                var owners: [String: String] = [:]
                for row in try connection.query("SELECT tenant_id, owner_id FROM tenant_leases WHERE expires_at > now()", []).rows {
                    owners[try row.decode(String.self, "tenant_id")] = try row.decode(String.self, "owner_id")
                }
                return Beat(renewed: renewed, liveMembers: max(live, 1), owners: owners)
            }
        }
    }

    /// Claims up to `limit` of `candidates` (in their order) that nobody holds, or whose lease expired.
    func claim(_ candidates: [String], limit: Int) async throws -> [String] {
        guard limit > 0, !candidates.isEmpty else { return [] }
        return try await database.withConnection { [ownerID, duration] connection in
            try connection.query("""
                WITH wanted AS (
                    SELECT c.id FROM unnest($2::text[]) WITH ORDINALITY AS c(id, n)
                    LEFT JOIN tenant_leases l ON l.tenant_id = c.id
                    WHERE l.tenant_id IS NULL OR l.expires_at <= now() OR l.owner_id = $1
                    ORDER BY c.n LIMIT $4
                )
                INSERT INTO tenant_leases (tenant_id, owner_id, acquired_at, expires_at)
                SELECT id, $1, now(), now() + make_interval(secs => $3) FROM wanted ORDER BY id
                ON CONFLICT (tenant_id) DO UPDATE SET owner_id = EXCLUDED.owner_id, acquired_at = now(), expires_at = EXCLUDED.expires_at
                WHERE tenant_leases.expires_at <= now() OR tenant_leases.owner_id = EXCLUDED.owner_id
                RETURNING tenant_id
                """, [.text(ownerID), .textArray(candidates), .double(duration), .int(limit)])
                .rows.map { try $0.decode(String.self, "tenant_id") }
        }
    }

    /// Gives up `tenantIDs`, so another supervisor may claim them at once.
    func release(_ tenantIDs: [String]) async throws {
        guard !tenantIDs.isEmpty else { return }
        try await database.withConnection { [ownerID] connection in
            _ = try connection.query(
                "DELETE FROM tenant_leases WHERE owner_id = $1 AND tenant_id = ANY($2::text[])", [.text(ownerID), .textArray(tenantIDs)]
            )
        }
    }

    /// Gives up every lease and the membership row: this supervisor is leaving.
    func leave() async throws {
        try await database.withConnection { [ownerID] connection in
            try connection.withTransaction { connection in
                _ = try connection.query("DELETE FROM tenant_leases WHERE owner_id = $1", [.text(ownerID)])
                _ = try connection.query("DELETE FROM supervisor_members WHERE supervisor_id = $1", [.text(ownerID)])
            }
        }
    }

    /// Removes the rows of earlier supervisors on this host (default ids, `host:pid`) whose process is gone,
    /// so a supervisor restarted after a crash takes its tenants back without waiting for their leases to expire.
    func forgetDeadLocalOwners(host: String) async throws -> [String] {
        let prefix = host + ":"
        let candidates = try await database.withConnection { connection in
            try connection.query("""
                SELECT owner_id FROM tenant_leases WHERE starts_with(owner_id, $1)
                UNION SELECT supervisor_id FROM supervisor_members WHERE starts_with(supervisor_id, $1)
                """, [.text(prefix)]).rows.map { try $0.decode(String.self, "owner_id") }
        }
        let dead = candidates.filter { LocalSupervisorID.isDead($0, host: host, own: ownerID) }
        guard !dead.isEmpty else { return [] }
        try await database.withConnection { connection in
            try connection.withTransaction { connection in
                _ = try connection.query("DELETE FROM tenant_leases WHERE owner_id = ANY($1::text[])", [.textArray(dead)])
                _ = try connection.query("DELETE FROM supervisor_members WHERE supervisor_id = ANY($1::text[])", [.textArray(dead)])
            }
        }
        return dead
    }
}
