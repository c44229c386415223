import Postgres

extension RunStore {
    /// Owners of unfinished runs whose id is a default id (`host:pid`) of `host` whose process is gone.
    func deadLocalRunOwners(host: String) async throws -> [String] {
        let owners = try await database.withConnection { connection in
            try connection.query("""
                SELECT DISTINCT owner_id FROM sync_runs
                WHERE status IN ('queued', 'running') AND starts_with(owner_id, $1)
                """, [.text(host + ":")]).rows.map { try $0.decode(String.self, "owner_id") }
        }
        return owners.filter { LocalSupervisorID.isDead($0, host: host, own: ownerID) }.sorted()
    }
}
