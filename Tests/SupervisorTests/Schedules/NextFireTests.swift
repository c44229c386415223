import Foundation
@testable import SupervisorCore
import Testing

@Suite("Schedules: next fires, jitter and catch-up")
struct NextFireTests {
    typealias At = ScheduleInstants

    static let fifteenMinutes = TenantSchedule(.every(ScheduleDuration(seconds: 900)))

    @Test("interval slots are counted from 1970-01-01T00:00Z, strictly after the instant", arguments: [
        ("2024-01-01T10:07:30Z", "2024-01-01T10:15:00Z"),
        ("2024-01-01T10:15:00Z", "2024-01-01T10:30:00Z"),
        ("2024-01-01T23:59:59Z", "2024-01-02T00:00:00Z"),
    ])
    func intervals(after: String, expected: String) {
        #expect(At.text(Self.fifteenMinutes.nextFire(after: At.at(after), tenantID: "any")) == expected)
    }

    @Test("an interval is elapsed time: every 1h keeps its step across a daylight saving change, and every 1d falls at midnight UTC")
    func intervalsIgnoreZones() {
        let hourly = TenantSchedule(.every(ScheduleDuration(seconds: 3_600)))
        let fire = hourly.nextFire(after: At.at("2024-03-31T00:30:00Z"), tenantID: "t")
        #expect(At.text(fire) == "2024-03-31T01:00:00Z")
        #expect(At.text(fire.flatMap { hourly.nextFire(after: $0, tenantID: "t") }) == "2024-03-31T02:00:00Z")
        let daily = TenantSchedule(.every(ScheduleDuration(seconds: 86_400)))
        #expect(At.text(daily.nextFire(after: At.at("2024-03-31T00:30:00Z"), tenantID: "t")) == "2024-04-01T00:00:00Z")
    }

    @Test("after downtime the next fire is the first slot still ahead: three missed slots give one fire, not three")
    func catchUp() throws {
        let lastFire = At.at("2024-01-01T10:00:00Z")
        let stored = try #require(Self.fifteenMinutes.nextFire(after: lastFire, tenantID: "t"))
        #expect(At.text(stored) == "2024-01-01T10:15:00Z")
        // The supervisor comes back at 10:52: 10:15, 10:30 and 10:45 were missed. The overdue fire happens
        // now, and the one after it is 11:00, the first slot after now.
        let now = At.at("2024-01-01T10:52:00Z")
        #expect(stored <= now)
        #expect(At.text(Self.fifteenMinutes.nextFire(after: now, tenantID: "t")) == "2024-01-01T11:00:00Z")
        let cron = TenantSchedule(.cron(try CronExpression(parsing: "0 3 * * *"), timeZone: try #require(TimeZone(identifier: "Europe/Madrid"))))
        #expect(At.text(cron.nextFire(after: At.at("2024-01-20T12:00:00Z"), tenantID: "t")) == "2024-01-21T02:00:00Z")
    }

    @Test("jitter moves each tenant's fires by a fixed offset within [0, jitter), the same in every process, spread across tenants")
    func jitterBounds() throws {
        let schedule = TenantSchedule(.every(ScheduleDuration(seconds: 900)), jitter: ScheduleDuration(seconds: 120))
        let instant = At.at("2024-01-01T10:07:30Z")
        var offsets = Set<Int>()
        for index in 0..<1_000 {
            let tenantID = "tenant-\(index)"
            let offset = schedule.jitterOffset(for: tenantID)
            #expect((0..<120).contains(offset))
            offsets.insert(offset)
            let fire = try #require(schedule.nextFire(after: instant, tenantID: tenantID))
            #expect(fire > instant)
            // The fire is a slot plus the tenant's offset, and the first such after the instant.
            let slot = fire.addingTimeInterval(-Double(offset))
            #expect(slot.timeIntervalSince1970.truncatingRemainder(dividingBy: 900) == 0)
            #expect(fire.timeIntervalSince(instant) <= 900)
            #expect(schedule.nextFire(after: instant, tenantID: tenantID) == fire)
        }
        #expect(offsets.count > 90, "1,000 tenants over 120 offsets use most of them")
        #expect(TenantSchedule(.every(ScheduleDuration(seconds: 900))).jitterOffset(for: "tenant-1") == 0)
    }

    @Test("with jitter, an instant exactly at a tenant's fire gives its next one, and a cron schedule keeps its offset")
    func jitterEdges() throws {
        let schedule = TenantSchedule(.every(ScheduleDuration(seconds: 60)), jitter: ScheduleDuration(seconds: 30))
        let offset = Double(schedule.jitterOffset(for: "hotel-a"))
        let fire = try #require(schedule.nextFire(after: At.at("2024-01-01T10:00:00Z"), tenantID: "hotel-a"))
        #expect(fire == At.at("2024-01-01T10:00:00Z").addingTimeInterval(offset == 0 ? 60 : offset))
        #expect(schedule.nextFire(after: fire, tenantID: "hotel-a") == fire.addingTimeInterval(60))

        let cron = TenantSchedule(.cron(try CronExpression(parsing: "0 3 * * *"), timeZone: try #require(TimeZone(identifier: "UTC"))), jitter: ScheduleDuration(seconds: 600))
        let cronOffset = Double(cron.jitterOffset(for: "hotel-a"))
        #expect(cron.nextFire(after: At.at("2024-01-01T12:00:00Z"), tenantID: "hotel-a") == At.at("2024-01-02T03:00:00Z").addingTimeInterval(cronOffset))
        // Just before the jittered fire, the fire is still ahead; from 03:00 until then, too.
        let jittered = At.at("2024-01-02T03:00:00Z").addingTimeInterval(cronOffset)
        #expect(cron.nextFire(after: jittered.addingTimeInterval(-1), tenantID: "hotel-a") == jittered)
    }
}
