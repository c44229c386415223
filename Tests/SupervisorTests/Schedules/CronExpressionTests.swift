import Foundation
@testable import SupervisorCore
import Testing

@Suite("Cron expressions: fields, day rules, and next matches in time zones across daylight saving time")
struct CronExpressionTests {
    typealias At = ScheduleInstants

    @Test("fields: *, values, ranges, steps, lists and names", arguments: [
        ("*/15", CronField.Kind.minute, [0, 15, 30, 45]),
        ("5/20", .minute, [5, 25, 45]),
        ("8-18/4", .hour, [8, 12, 16]),
        ("1,2,3,2", .dayOfMonth, [1, 2, 3]),
        ("jan,JUL,dec", .month, [1, 7, 12]),
        ("mon-fri", .dayOfWeek, [1, 2, 3, 4, 5]),
        ("7", .dayOfWeek, [0]),
        ("sun,6", .dayOfWeek, [0, 6]),
        ("*/2", .dayOfWeek, [0, 2, 4, 6]),
        ("*", .hour, Array(0...23)),
    ])
    func fields(text: String, kind: CronField.Kind, values: [Int]) throws {
        #expect(try CronField(parsing: text, kind: kind).values == values)
    }

    @Test("out of range, backwards, zero steps, empty items and unknown names are refused", arguments: [
        "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 * ", "* * * * 8", "5-1 * * * *", "*/0 * * * *", "1,,2 * * * *",
        "* * * foo *", "* * * * funday", "1-2-3 * * * *", "*/5/2 * * * *", "* * * *", "* * * * * *", "",
    ])
    func badExpressions(text: String) {
        #expect(throws: ScheduleError.self, "\(text)") { try CronExpression(parsing: text) }
    }

    @Test("a day that exists in none of the months is refused; 29 February is accepted")
    func impossibleDays() throws {
        #expect(throws: ScheduleError.self) { try CronExpression(parsing: "0 0 30 2 *") }
        #expect(throws: ScheduleError.self) { try CronExpression(parsing: "0 0 31 apr,jun *") }
        _ = try CronExpression(parsing: "0 0 29 2 *")
        // With a weekday too, either day matches, so it fires on Mondays in February.
        _ = try CronExpression(parsing: "0 0 30 2 mon")
    }

    @Test("next matches in UTC, strictly after the instant", arguments: [
        ("*/15 * * * *", "2024-01-01T10:07:30Z", "2024-01-01T10:15:00Z"),
        ("*/15 * * * *", "2024-01-01T10:15:00Z", "2024-01-01T10:30:00Z"),
        ("0 9 * * mon-fri", "2024-09-06T10:00:00Z", "2024-09-09T09:00:00Z"),
        // Both day fields restricted: the 13th or a Friday, whichever comes first.
        ("0 0 13 * fri", "2024-09-01T00:00:00Z", "2024-09-06T00:00:00Z"),
        ("0 0 31 * *", "2024-04-01T00:00:00Z", "2024-05-31T00:00:00Z"),
        ("0 12 29 2 *", "2024-03-01T00:00:00Z", "2028-02-29T12:00:00Z"),
        ("59 23 31 12 *", "2024-12-31T23:59:00Z", "2025-12-31T23:59:00Z"),
    ])
    func utc(expression: String, after: String, expected: String) throws {
        let next = try CronExpression(parsing: expression).nextMatch(after: At.at(after), in: Self.calendar("UTC"))
        #expect(At.text(next) == expected)
    }

    @Test("wall-clock times in a time zone: 09:00 in Madrid is 08:00 UTC in winter, 07:00 in summer; 17:30 in New York")
    func timeZones() throws {
        let nine = try CronExpression(parsing: "0 9 * * *")
        #expect(At.text(nine.nextMatch(after: At.at("2024-01-15T00:00:00Z"), in: Self.calendar("Europe/Madrid"))) == "2024-01-15T08:00:00Z")
        #expect(At.text(nine.nextMatch(after: At.at("2024-07-15T00:00:00Z"), in: Self.calendar("Europe/Madrid"))) == "2024-07-15T07:00:00Z")
        let evening = try CronExpression(parsing: "30 17 * * *")
        #expect(At.text(evening.nextMatch(after: At.at("2024-01-15T00:00:00Z"), in: Self.calendar("America/New_York"))) == "2024-01-15T22:30:00Z")
    }

    @Test("spring forward in Madrid (31 March 2024, 02:00 → 03:00): a skipped time fires after the change, once; a half-hourly schedule keeps its step")
    func springForward() throws {
        let madrid = Self.calendar("Europe/Madrid")
        let twoThirty = try CronExpression(parsing: "30 2 * * *")
        let skipped = twoThirty.nextMatch(after: At.at("2024-03-30T12:00:00Z"), in: madrid)
        #expect(At.text(skipped) == "2024-03-31T01:30:00Z")  // 03:30 CEST
        #expect(At.text(skipped.flatMap { twoThirty.nextMatch(after: $0, in: madrid) }) == "2024-04-01T00:30:00Z")  // 02:30 CEST

        let halfHourly = try CronExpression(parsing: "*/30 * * * *")
        let fires = Self.sequence(halfHourly, from: At.at("2024-03-31T00:15:00Z"), count: 5, in: madrid)
        #expect(fires == ["2024-03-31T00:30:00Z", "2024-03-31T01:00:00Z", "2024-03-31T01:30:00Z", "2024-03-31T02:00:00Z", "2024-03-31T02:30:00Z"])
    }

    @Test("fall back in Madrid (27 October 2024, 03:00 → 02:00): a repeated time fires once, at its first occurrence")
    func fallBack() throws {
        let madrid = Self.calendar("Europe/Madrid")
        let twoThirty = try CronExpression(parsing: "30 2 * * *")
        #expect(Self.sequence(twoThirty, from: At.at("2024-10-26T12:00:00Z"), count: 2, in: madrid) == [
            "2024-10-27T00:30:00Z",  // 02:30 CEST, the first of the two
            "2024-10-28T01:30:00Z",  // 02:30 CET the next day
        ])
        let hourly = try CronExpression(parsing: "0 * * * *")
        #expect(Self.sequence(hourly, from: At.at("2024-10-26T23:30:00Z"), count: 3, in: madrid) == [
            "2024-10-27T00:00:00Z",  // 02:00 CEST
            "2024-10-27T02:00:00Z",  // 03:00 CET: the repeated 02:00 CET (01:00Z) is not fired again
            "2024-10-27T03:00:00Z",
        ])
    }

    @Test("next matches always move forward, a whole minute at a time, over a year of a busy expression in a zone with daylight saving time")
    func monotonic() throws {
        let expression = try CronExpression(parsing: "7,37 */3 * * *")
        let calendar = Self.calendar("America/New_York")
        var instant = At.at("2024-01-01T00:00:00Z")
        for _ in 0..<(365 * 16) {
            let next = try #require(expression.nextMatch(after: instant, in: calendar))
            #expect(next > instant)
            #expect(next.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) == 0)
            instant = next
        }
        #expect(instant > At.at("2024-12-01T00:00:00Z"))
    }

    static func calendar(_ zone: String) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        return calendar
    }

    static func sequence(_ expression: CronExpression, from start: Date, count: Int, in calendar: Calendar) -> [String] {
        var fires: [String] = []
        var instant = start
        for _ in 0..<count {
            guard let next = expression.nextMatch(after: instant, in: calendar) else { break }
            fires.append(At.text(next))
            instant = next
        }
        return fires
    }
}
