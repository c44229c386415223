import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Pausing and resuming a tenant's schedule")
struct SchedulePauseTests {
    @Test("pause stops a tenant's fires (its worker stays up), holds across a restart, and resume starts them again")
    func pauseAndResume() async throws {
        let sites = ["pause-a", "pause-b"].map { DemoSite(name: $0, accommodations: 2, bookings: 4) }
        try await withSupervisorStack(sites: sites, configure: { configuration, _ in
            configuration.defaultSchedule = ScheduledRuns.everyTwoSeconds
        }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            _ = try await eventually("pause-a's first scheduled run to end") {
                try await ScheduledRuns.count(url, tenant: "pause-a", ended: true) > 0 ? true : nil
            }
            let pid = try await api.readyPID("pause-a")
            let paused = try await api.request("POST", "/api/tenants/pause-a/pause")
            #expect(paused.status == 200)
            let pausedStatus = try paused.decode(ControlDone.self)
            #expect(pausedStatus.action == "pause")
            #expect(pausedStatus.tenant.schedulePaused)
            #expect(pausedStatus.tenant.nextSyncAt == nil)
            #expect(pausedStatus.tenant.enabled)
            let pausedAt = try await ScheduledRuns.databaseNow(url)
            let firesBeforePause = try await ScheduledRuns.count(url, tenant: "pause-a")

            // pause-b keeps firing: two of its slots after the pause pass, and pause-a fires in neither.
            _ = try await eventually("two fires of pause-b after the pause") {
                try await ScheduledRuns.count(url, tenant: "pause-b", slotAfter: pausedAt + 2) >= 2 ? true : nil
            }
            #expect(try await ScheduledRuns.count(url, tenant: "pause-a") == firesBeforePause)
            #expect(try await ScheduledRuns.count(url, tenant: "pause-a", slotAfter: pausedAt) == 0)
            let stillUp = try await api.tenants()["pause-a"]
            #expect(stillUp?.state == .ready && stillUp?.pid == pid)
            #expect(stillUp?.schedulePaused == true)

            // A restarted supervisor reads the pause from the database.
            try await stack.stop()
            let restarted = try await stack.startServe { _ in }
            defer { restarted.cleanUp() }
            let seen = try await restarted.api.waitForTenant("pause-a", "paused after the restart") { $0.schedulePaused && $0.state == .ready }
            #expect(seen.nextSyncAt == nil)
            let restartedAt = try await ScheduledRuns.databaseNow(url)
            _ = try await eventually("two fires of pause-b after the restart") {
                try await ScheduledRuns.count(url, tenant: "pause-b", slotAfter: restartedAt + 2) >= 2 ? true : nil
            }
            #expect(try await ScheduledRuns.count(url, tenant: "pause-a") == firesBeforePause)

            // Read before the request: a slot the resumed schedule fires while its answer is on the way
            // (seconds, on a loaded machine) is then counted as after the resume, as it is.
            let resumedAt = try await ScheduledRuns.databaseNow(url)
            let resumed = try await restarted.api.decode(ControlDone.self, "POST", "/api/tenants/pause-a/resume")
            #expect(resumed.action == "resume")
            #expect(!resumed.tenant.schedulePaused)
            #expect(resumed.tenant.nextSyncAt != nil)
            _ = try await eventually("pause-a to fire again") {
                try await ScheduledRuns.count(url, tenant: "pause-a", slotAfter: resumedAt) > 0 ? true : nil
            }
            // Resuming does not make up for the fires missed while paused: the first is a slot after the resume.
            #expect(try await ScheduledRuns.count(url, tenant: "pause-a") > firesBeforePause)
            let sincePause = try await ScheduledRuns.count(url, tenant: "pause-a", slotAfter: pausedAt)
            let sinceResume = try await ScheduledRuns.count(url, tenant: "pause-a", slotAfter: resumedAt)
            #expect(sincePause == sinceResume)

            #expect(try await restarted.api.request("POST", "/api/tenants/nobody/pause").status == 404)
        }
    }

    @Test("a new schedule through PUT recomputes the tenant's next fire and leaves its worker running")
    func changedSchedule() async throws {
        let site = DemoSite(name: "reschedule", accommodations: 2, bookings: 4)
        let hourly = TenantSchedule(.every(ScheduleDuration(seconds: 3_600)))
        try await withSupervisorStack(sites: [site], configure: { configuration, _ in
            configuration.tenants[0].schedule = .scheduled(hourly)
        }) { stack in
            let api = stack.api
            let pid = try await api.readyPID(site.name)
            let before = try await api.waitForTenant(site.name, "showing its hourly slot") { $0.nextSyncAt != nil }
            #expect(before.schedule == hourly)

            var tenant = stack.configuration.tenants[0]
            let daily = TenantSchedule(.cron(try CronExpression(parsing: "30 4 * * *"), timeZone: try #require(TimeZone(identifier: "Asia/Tokyo"))))
            tenant.schedule = .scheduled(daily)
            let body = String(decoding: try JSONEncoder().encode(tenant), as: UTF8.self)
            let summary = try await api.decode(ReloadSummary.self, "PUT", "/api/tenants/\(site.name)", json: body)
            #expect(summary.changed == [site.name])

            // 04:30 in Tokyo is 19:30 UTC.
            let after = try await api.waitForTenant(site.name, "showing its new slot") { status in
                status.schedule == daily && status.nextSyncAt?.hasSuffix("T19:30:00Z") == true
            }
            #expect(after.pid == pid)
            #expect(after.state == .ready)
            let stored = try await TestDatabase.text(stack.databaseURL, "SELECT schedule FROM tenant_schedules WHERE tenant_id = $1", [.text(site.name)])
            #expect(stored == #"{"cron":"30 4 * * *","time_zone":"Asia/Tokyo"}"#)

            // null: on demand, whatever the default; the stored schedule goes too.
            tenant.schedule = .onDemand
            _ = try await api.decode(ReloadSummary.self, "PUT", "/api/tenants/\(site.name)", json: String(decoding: try JSONEncoder().encode(tenant), as: UTF8.self))
            let onDemand = try await api.waitForTenant(site.name, "on demand") { $0.schedule == nil }
            #expect(onDemand.nextSyncAt == nil)
            _ = try await eventually("the stored schedule to go") {
                try await TestDatabase.scalar(stack.databaseURL, "SELECT count(*) FROM tenant_schedules WHERE schedule IS NULL AND next_fire_at IS NULL") == 1 ? true : nil
            }
        }
    }
}
