import Foundation
import Support

/// A five-field cron expression, `minute hour day-of-month month day-of-week`, as in crontab(5).
///
/// Each field is parsed by ``CronField``. As in cron, when both day fields are restricted (neither
/// starts with `*`) a day matches if *either* does: `0 9 1 * mon` fires on the 1st and on Mondays.
/// Times are wall-clock times in a time zone; ``nextMatch(after:in:)`` turns them into instants.
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField
    /// The expression as written, with its fields separated by one space.
    public let description: String

    public init(parsing text: String) throws(ScheduleError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ScheduleError("cron expression \"\(text)\" needs 5 fields (minute hour day-of-month month day-of-week), not \(fields.count)")
        }
        minutes = try CronField(parsing: fields[0], kind: .minute)
        hours = try CronField(parsing: fields[1], kind: .hour)
        daysOfMonth = try CronField(parsing: fields[2], kind: .dayOfMonth)
        months = try CronField(parsing: fields[3], kind: .month)
        daysOfWeek = try CronField(parsing: fields[4], kind: .dayOfWeek)
        description = fields.joined(separator: " ")
        // Only day of month restricts the day: it must exist in one of the months (`0 0 30 2 *` never fires).
        if daysOfWeek.isWildcard {
            let longest = months.values.map { Self.longestMonth[$0 - 1] }.max() ?? 31
            guard let first = daysOfMonth.values.first, first <= longest else {
                throw ScheduleError("cron expression \"\(description)\" never fires: no such day in its months")
            }
        }
    }

    /// Days in each month at most (February in a leap year).
    private static let longestMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

    /// Whether the expression fires on `date`.
    func matches(_ date: CivilDate) -> Bool {
        guard months.contains(date.month) else { return false }
        let weekday = ((date.daysSinceEpoch % 7) + 7 + 4) % 7  // 1970-01-01 was a Thursday (4); 0 is Sunday
        let dayOfMonthMatches = daysOfMonth.contains(date.day)
        let dayOfWeekMatches = daysOfWeek.contains(weekday)
        switch (daysOfMonth.isWildcard, daysOfWeek.isWildcard) {
        case (true, true): return true
        case (false, true): return dayOfMonthMatches
        case (true, false): return dayOfWeekMatches
        case (false, false): return dayOfMonthMatches || dayOfWeekMatches
        }
    }

    /// How many days ahead ``nextMatch(after:in:)`` looks: long enough for the rarest expression
    /// that can fire (29 February comes back within 8 years: 2096, then 2104).
    static let searchDays = 366 * 9

    /// The first instant after `instant` whose wall-clock time in `calendar`'s time zone matches.
    ///
    /// Wall-clock times are turned into instants by `calendar`, which decides the two moments a year
    /// where clocks change: a time skipped when clocks go forward (02:30 on a spring night in
    /// Europe) fires as far after the change as it was after the last valid minute (03:30), and a
    /// time that occurs twice when clocks go back fires once, at its first occurrence.
    /// `nil` only if nothing matches within ``searchDays``.
    public func nextMatch(after instant: Date, in calendar: Calendar) -> Date? {
        let start = calendar.dateComponents([.year, .month, .day], from: instant)
        guard let year = start.year, let month = start.month, let day = start.day else { return nil }
        let firstDay = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        for offset in 0...Self.searchDays {
            let date = CivilDate(daysSinceEpoch: firstDay + offset)
            guard matches(date) else { continue }
            for hour in hours.values {
                // Skips the hour at once when its last matching minute is not after the instant.
                guard let last = minutes.values.last, let latest = Self.instant(date, hour, last, calendar), latest > instant else { continue }
                for minute in minutes.values {
                    if let candidate = Self.instant(date, hour, minute, calendar), candidate > instant { return candidate }
                }
            }
        }
        return nil
    }

    private static func instant(_ date: CivilDate, _ hour: Int, _ minute: Int, _ calendar: Calendar) -> Date? {
        calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: hour, minute: minute, second: 0))
    }
}
