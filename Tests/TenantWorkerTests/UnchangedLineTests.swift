import DemoUpstreamKit
import Postgres
import Support
import Testing
import TestSupport

@Suite("Unchanged reservation lines are recognised by their fingerprint, and only those")
struct UnchangedLineTests {
    @Test("a full re-sync skips lines stored byte for byte, but still repairs a changed unit, a deleted row, drifted rates and a stale fingerprint")
    func hashSkipsOnlyTrulyUnchangedLines() async throws {
        let site = DemoSite(name: "hotel-hash", accommodations: 6, bookings: 60)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
                let first = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                #expect(first.status == .succeeded)
                let lines = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE source_fingerprint IS NULL") == 0)

                // Three lines drift locally: another unit, a deletion mark, a fingerprint that no longer matches.
                let connection = try PostgresConnection(url: url)
                let ids = try connection.query("SELECT id FROM reservations ORDER BY id LIMIT 4").rows.compactMap { $0["id"] ?? nil }
                try #require(ids.count == 4)
                _ = try connection.query("""
                    UPDATE reservations SET accommodation_unit_id =
                        (SELECT min(a.id) FROM accommodations a WHERE a.id <> reservations.accommodation_unit_id AND a.tenant_id = reservations.tenant_id)
                    WHERE id = $1::bigint
                    """, [.text(ids[0])])
                _ = try connection.query("UPDATE reservations SET deleted_at = now() WHERE id = $1::bigint", [.text(ids[1])])
                _ = try connection.query("UPDATE reservations SET source_fingerprint = 0 WHERE id = $1::bigint", [.text(ids[2])])
                // A local edit behind an intact fingerprint: the fingerprint says the upstream sent this line unchanged,
                // so the line is skipped without being parsed or compared — the proof that skipping happens.
                _ = try connection.query(#"UPDATE reservations SET data = data || '{"local_note": "kept"}' WHERE id = $1::bigint"#, [.text(ids[3])])
                // Two rates drift: one line loses its listed rate, another points at a different rate.
                let rated = try connection.query("""
                    SELECT id FROM reservations WHERE rate_id IS NOT NULL AND id > $1::bigint ORDER BY id LIMIT 2
                    """, [.text(ids[3])]).rows.compactMap { $0["id"] ?? nil }
                try #require(rated.count == 2)
                _ = try connection.query("UPDATE reservations SET rate_id = NULL WHERE id = $1::bigint", [.text(rated[0])])
                _ = try connection.query("""
                    UPDATE reservations SET rate_id = (SELECT min(r.id) FROM rates r WHERE r.id <> reservations.rate_id)
                    WHERE id = $1::bigint
                    """, [.text(rated[1])])

                let again = try await offPool { try MotoPressSyncTests.sync(spec, runID: "again", full: true) }.result
                #expect(again.status == .succeeded, "\(again.error ?? "")")
                let counts = try #require(again.streams.first { $0.stream == "reservations" }?.counts)
                // The moved unit, the deleted row and the two drifted rates are rewritten; the stale
                // fingerprint's line compares equal as JSON.
                #expect(counts.updated == 4)
                #expect(counts.created == 0)
                #expect(counts.unchanged == lines - 4)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NOT NULL") == 0)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE data ? 'local_note'") == 1)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE source_fingerprint = 0") == 1)
                #expect(try await TestDatabase.scalar(url, """
                    SELECT count(*) FROM reservations r JOIN accommodations a ON a.id = r.accommodation_unit_id
                    WHERE (r.data->'reserved_accommodation'->>'accommodation')::bigint <> a.external_id
                    """) == 0)
                #expect(try await TestDatabase.scalar(url, """
                    SELECT count(*) FROM reservations t
                    WHERE t.rate_id IS DISTINCT FROM (SELECT l.id FROM rates l WHERE l.external_id = t.rate_external_id AND l.deleted_at IS NULL)
                    """) == 0)
            }
        }
    }
}
