import Foundation
@testable import SupervisorCore
import Testing

@Suite("Schedules: durations, intervals and the configuration's forms")
struct ScheduleParsingTests {
    @Test("durations take one whole number and one unit, and print in the largest unit that divides them", arguments: [
        ("2s", 2, "2s"), ("15m", 900, "15m"), ("6h", 21_600, "6h"), ("1d", 86_400, "1d"), (" 90s ", 90, "90s"),
        ("120m", 7_200, "2h"), ("0s", 0, "0s"), ("48h", 172_800, "2d"),
    ])
    func durations(text: String, seconds: Int, printed: String) throws {
        let duration = try ScheduleDuration(parsing: text)
        #expect(duration.seconds == seconds)
        #expect(duration.description == printed)
    }

    @Test("durations without a unit, with an unknown one, signed or fractional are refused", arguments: ["15", "m", "15x", "-5m", "1.5h", "", "1h30m", "m15"])
    func badDurations(text: String) {
        #expect(throws: ScheduleError.self) { try ScheduleDuration(parsing: text) }
    }

    @Test("the string form is \"every <duration>\" and nothing else")
    func stringForm() throws {
        #expect(try TenantSchedule(parsing: "every 15m") == TenantSchedule(.every(ScheduleDuration(seconds: 900))))
        #expect(try TenantSchedule(parsing: "EVERY  2s") == TenantSchedule(.every(ScheduleDuration(seconds: 2))))
        for bad in ["every 0s", "each 15m", "every15m", "every", "every 15m jitter 2m", "*/15 * * * *", "every 15"] {
            #expect(throws: ScheduleError.self, "\(bad)") { try TenantSchedule(parsing: bad) }
        }
    }

    @Test("the object form: every or cron (with time_zone, UTC by default), and jitter")
    func objectForm() throws {
        let every = try decode(#"{"every": "15m", "jitter": "2m"}"#)
        #expect(every == TenantSchedule(.every(ScheduleDuration(seconds: 900)), jitter: ScheduleDuration(seconds: 120)))
        let cron = try decode(#"{"cron": "*/15 * * * *", "time_zone": "Europe/Madrid"}"#)
        #expect(cron.timing == .cron(try CronExpression(parsing: "*/15 * * * *"), timeZone: try #require(TimeZone(identifier: "Europe/Madrid"))))
        #expect(cron.jitter.seconds == 0)
        let utc = try decode(#"{"cron": "0 3 * * *"}"#)
        #expect(utc.timing == .cron(try CronExpression(parsing: "0 3 * * *"), timeZone: try #require(TimeZone(identifier: "UTC"))))
        #expect(try decode(#""every 2s""#) == TenantSchedule(.every(ScheduleDuration(seconds: 2))))
    }

    @Test("object forms that say too much, too little or something unknown are refused with the reason", arguments: [
        (#"{"every": "15m", "cron": "* * * * *"}"#, "exactly one"),
        (#"{"jitter": "2m"}"#, "exactly one"),
        (#"{"every": "15m", "timezone": "UTC"}"#, "unknown key \"timezone\""),
        (#"{"every": "15m", "time_zone": "UTC"}"#, "time_zone goes with cron"),
        (#"{"cron": "0 3 * * *", "time_zone": "Mars/Olympus"}"#, "not a known time zone"),
        (#"{"cron": "0 3 * *"}"#, "needs 5 fields"),
        (#"{"every": "15m", "jitter": "soon"}"#, "needs a unit"),
        (#"{"every": 15}"#, "an object of strings"),
        (#"42"#, "an object of strings"),
    ])
    func badObjects(json: String, reason: String) {
        do {
            _ = try decode(json)
            Issue.record("\(json) was accepted")
        } catch {
            #expect(ConfigurationError.describe(error).contains(reason), "\(json): \(ConfigurationError.describe(error))")
        }
    }

    @Test("a schedule is written as its object and reads back the same; the stored text has sorted keys")
    func roundTrip() throws {
        let schedules = [
            try decode(#""every 90m""#),
            try decode(#"{"every": "1h", "jitter": "5m"}"#),
            try decode(#"{"cron": "0  9 * * mon-fri", "time_zone": "America/New_York", "jitter": "30s"}"#),
        ]
        for schedule in schedules {
            let encoded = try JSONEncoder().encode(schedule)
            #expect(try JSONDecoder().decode(TenantSchedule.self, from: encoded) == schedule)
            #expect(try TenantSchedule(storedText: schedule.storedText) == schedule)
        }
        #expect(schedules[0].storedText == #"{"every":"90m"}"#)
        #expect(schedules[2].storedText == #"{"cron":"0 9 * * mon-fri","jitter":"30s","time_zone":"America/New_York"}"#)
        #expect(schedules[1].description == "every 1h jitter 5m")
    }

    @Test("a tenant's schedule: absent inherits the default, null is on demand, a value is its own; each survives a round trip")
    func tenantChoice() throws {
        let file = #"""
            {"database_url": "postgresql://localhost/x", "default_schedule": "every 15m", "tenants": [
                {"id": "a", "connector": "motopress"},
                {"id": "b", "connector": "motopress", "schedule": null},
                {"id": "c", "connector": "motopress", "schedule": {"cron": "0 3 * * *", "time_zone": "Europe/Madrid", "jitter": "10m"}}
            ]}
            """#
        let configuration = try JSONDecoder().decode(SupervisorConfiguration.self, from: Data(file.utf8))
        let fifteen = TenantSchedule(.every(ScheduleDuration(seconds: 900)))
        #expect(configuration.defaultSchedule == fifteen)
        let choices = configuration.tenants.map(\.schedule)
        #expect(choices[0] == .inherited)
        #expect(choices[1] == .onDemand)
        #expect(choices[2].schedule?.jitter.seconds == 600)
        #expect(choices.map { $0.resolved(default: fifteen).schedule } == [fifteen, nil, choices[2].schedule])
        #expect(ScheduleChoice.inherited.resolved(default: nil) == .onDemand)

        let again = try JSONDecoder().decode(SupervisorConfiguration.self, from: try JSONEncoder().encode(configuration))
        #expect(again.tenants.map(\.schedule) == choices)
        #expect(again.defaultSchedule == fifteen)
    }

    @Test("a bad schedule in the file names the tenant's key in the error")
    func badScheduleInFile() {
        let file = #"{"database_url": "x", "tenants": [{"id": "a", "connector": "motopress", "schedule": "every 5 minutes"}]}"#
        do {
            _ = try JSONDecoder().decode(SupervisorConfiguration.self, from: Data(file.utf8))
            Issue.record("accepted")
        } catch {
            let message = ConfigurationError.describe(error)
            #expect(message.contains("tenants.[0].schedule"), "\(message)")
            #expect(message.contains("every 5 minutes"), "\(message)")
        }
    }

    private func decode(_ json: String) throws -> TenantSchedule {
        try JSONDecoder().decode(TenantSchedule.self, from: Data(json.utf8))
    }
}
