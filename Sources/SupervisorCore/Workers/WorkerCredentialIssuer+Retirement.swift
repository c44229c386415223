import Postgres

/// Tenant roles leave with their tenant (see the `worker_role_retirement` migration).
extension WorkerCredentialIssuer {
    /// Drops the role of `tenantID`, gone from `supervisorID`, unless another live supervisor holds the
    /// tenant's lease. Returns the role dropped, if any.
    func retireRole(of tenantID: String, supervisorID: String) async throws -> String? {
        try await database.withConnection { connection in
            try connection.query("SELECT tenantsync_retire_worker_role($1, $2) AS role", [.text(tenantID), .text(supervisorID)])
                .rows.first?["role"].flatMap { $0 }
        }
    }

    /// Drops the roles of every tenant not in `kept` whose lease no other live supervisor holds.
    /// Returns the roles dropped.
    func retireRoles(keeping kept: [String], supervisorID: String) async throws -> [String] {
        try await database.withConnection { connection in
            try connection.query("SELECT role FROM tenantsync_retire_worker_roles($1::text[], $2) AS role", [.textArray(kept), .text(supervisorID)])
                .rows.compactMap { $0["role"] }
        }
    }
}
