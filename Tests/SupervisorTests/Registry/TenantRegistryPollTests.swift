import DemoUpstreamKit
import Foundation
import Postgres
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Tenant registry: the poll that backs up notifications")
struct TenantRegistryPollTests {
    @Test("a row written without its notification (triggers off) still reaches the supervisor within 2 s")
    func pollFindsSilentChanges() async throws {
        let sites = [DemoSite(name: "poll-a", accommodations: 1, bookings: 1)]
        try await withSupervisorStack(sites: sites) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            _ = try await api.readyPID("poll-a")
            // Replica mode skips the table's triggers: no version from the sequence, and no NOTIFY.
            try await offPool {
                try PostgresConnection(url: url).execute("""
                    SET session_replication_role = replica;
                    INSERT INTO tenants (id, connector, settings, enabled, version, source)
                    VALUES ('poll-silent', 'motopress', '{"base_url": "http://127.0.0.1:9"}', false, 1000000, 'api');
                    """)
            }
            let seen = try await eventually(timeout: .seconds(2), "the silently written tenant to be listed") { () -> TenantStatus? in
                try await api.tenants()["poll-silent"]
            }
            #expect(!seen.enabled)
            #expect(seen.configuration?.version == 1_000_000)
        }
    }
}
