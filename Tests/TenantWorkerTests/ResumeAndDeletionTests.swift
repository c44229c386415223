import DemoUpstreamKit
import Foundation
import IPC
import Postgres
import Support
import SyncEngine
import Testing
import TestSupport

@Suite("Checkpoints: resume after a kill, high-water marks, deletions on full scans")
struct ResumeAndDeletionTests {
    @Test("a worker killed mid-stream resumes from its checkpoint: exact counts, no row twice, deletions still detected")
    func killedWorkerResumes() async throws {
        let site = DemoSite(name: "hotel-kill", accommodations: 20, bookings: 400)
        // One page at a time (no prefetching, so every batch is one page), and the upstream holds
        // every list page from the sixth on: the worker is caught mid-stream with exactly five
        // reservations pages committed, however fast or slow this machine is.
        let extra = ["per_page": "10", "concurrency": "1"]
        var holding = DemoUpstreamConfiguration(sites: [site])
        holding.faults.holdFromPage = 6
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { clean in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: clean, extra: extra)
                let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                #expect(result.status == .succeeded)
                let expectedLines = try await TestDatabase.scalar(clean, "SELECT count(*) FROM reservations")
                let firstFivePages = try await TestDatabase.scalar(clean, """
                    SELECT count(*) FROM reservations
                    WHERE booking_id IN (SELECT DISTINCT booking_id FROM reservations ORDER BY booking_id LIMIT 50)
                    """)

                try await TestDatabase.withDatabase { url in
                    try await DemoUpstreamServer.withRunningServer(configuration: holding) { held in
                        let spec = DemoTenants.motoPress(site: site, endpoint: held, databaseURL: url, extra: extra)
                        let worker = try WorkerHarness()
                        worker.send(.hello(Hello(tenantID: site.name, tenant: spec)))
                        _ = try await worker.next { if case .ready = $0 { true } else { false } }
                        worker.send(.sync(SyncCommand(runID: "doomed")))
                        _ = try await worker.next { message in
                            if case .progress(let update) = message { update.stream == "reservations" && update.page == 5 } else { false }
                        }
                        kill(worker.process.processIdentifier, SIGKILL)
                        _ = try await worker.waitForExit()
                    }

                    let committed = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
                    let nextPage = try await TestDatabase.scalar(url, "SELECT pass_next_page FROM sync_checkpoints WHERE stream = 'reservations'")
                    #expect(committed == firstFivePages && committed < expectedLines)
                    #expect(nextPage == 6)
                    // The interrupted pass is the first, so it sees everything: a booking the upstream does
                    // not list, added now, is marked deleted by the resumed pass although it never saw pages 1–5.
                    #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_pass_keys WHERE stream = 'reservations'") == 5)
                    _ = try PostgresConnection(url: url).query("""
                        INSERT INTO reservations (tenant_id, booking_id, line_number, accommodation_unit_id, data)
                        SELECT $1, -7, 1, min(id), '{}' FROM accommodations WHERE tenant_id = $1
                        """, [.text(site.name)])

                    let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: extra)
                    let (resumed, progress) = try await offPool { try MotoPressSyncTests.sync(spec, runID: "resumed") }
                    #expect(resumed.status == .succeeded, "\(resumed.error ?? "")")
                    // The resumed run starts at the page after the last committed one, never earlier.
                    #expect(progress.first { $0.stream == "reservations" }?.page == nextPage)
                    let reservations = try #require(resumed.streams.first { $0.stream == "reservations" })
                    #expect(reservations.counts.created == expectedLines - committed)
                    #expect(reservations.counts.unchanged == 0)
                    #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NULL") == expectedLines)
                    #expect(try await TestDatabase.scalar(url, "SELECT count(DISTINCT (booking_id, line_number)) FROM reservations WHERE booking_id > 0") == expectedLines)
                    #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NOT NULL AND booking_id = -7") == 1)
                    #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_checkpoints WHERE pass_next_page IS NOT NULL") == 0)
                }
            }
        }
    }

    @Test("a cancelled run leaves a checkpoint that the next run resumes; a full run does not resume an incremental pass")
    func cancelledRunResumes() async throws {
        let site = DemoSite(name: "hotel-cancel", accommodations: 10, bookings: 100)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                // No prefetching: each batch is one page, so the run can stop right after page 4.
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: ["per_page": "10", "concurrency": "1"])
                let connection = try PostgresConnection(url: url)
                let flag = CancellationFlag()
                // Cancel as soon as the fourth reservations page is committed.
                let first = try await offPool {
                    try MotoPressSyncTests.sync(spec, runID: "cut", cancellation: flag, progress: { update in
                        if update.stream == "reservations", update.page == 4 { flag.cancel() }
                    })
                }.result
                #expect(first.status == .cancelled)
                #expect(try await TestDatabase.scalar(url, "SELECT pass_next_page FROM sync_checkpoints WHERE stream = 'reservations'") == 5)
                let committed = try await TestDatabase.scalar(url, "SELECT count(DISTINCT booking_id) FROM reservations")
                #expect(committed == 40)

                let (second, progress) = try await offPool { try MotoPressSyncTests.sync(spec, runID: "rest") }
                #expect(second.status == .succeeded)
                #expect(progress.filter { $0.stream == "reservations" }.map(\.page) == Array(5...10))
                #expect(try await TestDatabase.scalar(url, "SELECT count(DISTINCT booking_id) FROM reservations") == 100)
                let mark = try connection.query("SELECT completed_mark IS NOT NULL AS done FROM sync_checkpoints WHERE stream = 'reservations'").rows.first?["done"]
                #expect(mark == "t")
            }
        }
    }

    @Test("a checkpoint past the end of a collection that shrank completes the pass instead of failing forever")
    func checkpointPastTheEnd() async throws {
        let site = DemoSite(name: "hotel-shrunk", accommodations: 5, bookings: 30)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: ["per_page": "10"])
                _ = try PostgresConnection(url: url).query("""
                    INSERT INTO sync_checkpoints (tenant_id, stream, pass_mark, pass_full, pass_next_page, pass_run_id)
                    VALUES ($1, 'reservations', now(), true, 9, 'old')
                    """, [.text(site.name)])
                let result = try await offPool { try MotoPressSyncTests.sync(spec) }.result
                #expect(result.status == .succeeded, "\(result.error ?? "")")
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_checkpoints WHERE stream = 'reservations' AND pass_next_page IS NULL AND completed_mark IS NOT NULL") == 1)
                // The next full pass reads everything.
                let full = try await offPool { try MotoPressSyncTests.sync(spec, runID: "full", full: true) }.result
                #expect(full.status == .succeeded)
                #expect(try await TestDatabase.scalar(url, "SELECT count(DISTINCT booking_id) FROM reservations") == 30)
            }
        }
    }

    @Test("catalog streams mark vanished rows deleted on every run; bookings only on a full scan")
    func deletionsOnFullScans() async throws {
        let site = DemoSite(name: "hotel-gone", accommodations: 8, bookings: 30)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url)
                _ = try await offPool { try MotoPressSyncTests.sync(spec) }
                let connection = try PostgresConnection(url: url)
                // Rows the upstream does not list (any more).
                _ = try connection.query("""
                    INSERT INTO accommodations (tenant_id, external_id, title, data) VALUES ($1, 999999, 'gone', '{}')
                    """, [.text(site.name)])
                _ = try connection.query("""
                    INSERT INTO reservations (tenant_id, booking_id, line_number, accommodation_unit_id, data)
                    SELECT $1, 888888, 1, min(id), '{}' FROM accommodations WHERE tenant_id = $1
                    """, [.text(site.name)])

                let incremental = try await offPool { try MotoPressSyncTests.sync(spec, runID: "incremental") }.result
                #expect(incremental.status == .succeeded)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM accommodations WHERE external_id = 999999 AND deleted_at IS NOT NULL") == 1)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE booking_id = 888888 AND deleted_at IS NULL") == 1)

                let full = try await offPool { try MotoPressSyncTests.sync(spec, runID: "full", full: true) }.result
                #expect(full.status == .succeeded)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE booking_id = 888888 AND deleted_at IS NOT NULL") == 1)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NOT NULL") == 1)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM accommodations WHERE deleted_at IS NOT NULL") == 1)
            }
        }
    }

    @Test("a full pass cancelled mid-stream and resumed still marks the rows the upstream does not list deleted, and only them")
    func resumedFullPassDetectsDeletions() async throws {
        let site = DemoSite(name: "hotel-resume-gone", accommodations: 10, bookings: 100)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                // No prefetching: each batch is one page, so the run can stop right after page 4.
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: ["per_page": "10", "concurrency": "1"])
                let first = try await offPool { try MotoPressSyncTests.sync(spec, runID: "first") }.result
                #expect(first.status == .succeeded, "\(first.error ?? "")")
                let lines = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
                // Bookings the upstream does not list: one below every upstream id (its key would sit on
                // the first pages, which the resumed run never fetches again) and one above them all.
                _ = try PostgresConnection(url: url).query("""
                    INSERT INTO reservations (tenant_id, booking_id, line_number, accommodation_unit_id, data)
                    SELECT $1, b, 1, min(a.id), '{}' FROM accommodations a, (VALUES (-5::bigint), (888888)) AS phantom(b)
                    WHERE a.tenant_id = $1 GROUP BY b
                    """, [.text(site.name)])

                let flag = CancellationFlag()
                let cut = try await offPool {
                    try MotoPressSyncTests.sync(spec, runID: "cut", full: true, cancellation: flag, progress: { update in
                        if update.stream == "reservations", update.page == 4 { flag.cancel() }
                    })
                }.result
                #expect(cut.status == .cancelled)
                #expect(try await TestDatabase.scalar(url, "SELECT pass_next_page FROM sync_checkpoints WHERE stream = 'reservations'") == 5)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_pass_keys WHERE stream = 'reservations'") == 4)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NOT NULL") == 0)

                // Not full: it resumes the interrupted full pass from page 5.
                let (resumed, progress) = try await offPool { try MotoPressSyncTests.sync(spec, runID: "rest") }
                #expect(resumed.status == .succeeded, "\(resumed.error ?? "")")
                #expect(progress.filter { $0.stream == "reservations" }.map(\.page) == Array(5...10))
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NOT NULL AND booking_id IN (-5, 888888)") == 2)
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NULL") == lines)
                // The pass's keys go with it.
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_pass_keys") == 0)
            }
        }
    }

    @Test("an interrupted pass that recorded no keys (begun before they were recorded) never infers deletions")
    func passWithoutRecordedKeysDeletesNothing() async throws {
        let site = DemoSite(name: "hotel-legacy-pass", accommodations: 5, bookings: 30)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase { url in
                let spec = DemoTenants.motoPress(site: site, endpoint: endpoint, databaseURL: url, extra: ["per_page": "10"])
                _ = try await offPool { try MotoPressSyncTests.sync(spec, runID: "first") }
                let lines = try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations")
                _ = try PostgresConnection(url: url).query("""
                    INSERT INTO sync_checkpoints (tenant_id, stream, pass_mark, pass_full, pass_next_page, pass_run_id)
                    VALUES ($1, 'reservations', now(), true, 3, 'old')
                    ON CONFLICT (tenant_id, stream) DO UPDATE SET pass_mark = now(), pass_full = true, pass_next_page = 3, pass_run_id = 'old'
                    """, [.text(site.name)])
                let result = try await offPool { try MotoPressSyncTests.sync(spec, runID: "resumed") }.result
                #expect(result.status == .succeeded, "\(result.error ?? "")")
                // Pages 1 and 2 are unknown to it: their bookings stay.
                #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE deleted_at IS NULL") == lines)
            }
        }
    }
}
