import Postgres
import Support
import Testing
import TestSupport

@Suite("The session's tenant is found through tenant_roles' index, whatever the number of tenants")
struct SessionTenantLookupTests {
    @Test("with 2,000 tenant roles, tenantsync_session_tenant() scans the role_name index and never the table")
    func lookupUsesTheIndex() async throws {
        try await TestDatabase.withDatabase { url in
            try await offPool { () throws -> Void in
                let connection = try PostgresConnection(url: url)
                try connection.execute("""
                    INSERT INTO tenant_roles (tenant_id, role_name)
                    SELECT 'lookup-' || n, 'tenantsync_lookup_absent_' || n FROM generate_series(1, 2000) AS n
                    """)
                try connection.execute("ANALYZE tenant_roles")
                // A fresh session: the function's plan is made with the statistics above.
                let session = try PostgresConnection(url: url)
                try session.execute("BEGIN")
                _ = try session.query("SELECT tenantsync_session_tenant() AS tenant")
                // The current transaction's own counts, not the statistics collector's delayed ones.
                let scans = try #require(
                    try session.query("SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'tenant_roles'").rows.first
                )
                try session.execute("ROLLBACK")
                #expect(scans["seq_scan"] == "0", "the lookup read the whole table")
                #expect((Int(scans["idx_scan"] ?? "") ?? 0) >= 1, "the lookup used no index")
            }
        }
    }
}
