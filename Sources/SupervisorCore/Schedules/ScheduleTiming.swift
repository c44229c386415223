import Foundation

/// When a schedule's slots fall, before jitter: every so many seconds, or at a cron expression's
/// wall-clock times in a time zone.
public enum ScheduleTiming: Hashable, Sendable, CustomStringConvertible {
    /// Slots every `interval`, counted from 1970-01-01T00:00:00Z: `every 1h` falls on the hour, `every 1d`
    /// at midnight UTC, whatever the time zone or daylight saving time.
    case every(ScheduleDuration)
    /// Slots at the expression's wall-clock times in `timeZone`.
    case cron(CronExpression, timeZone: TimeZone)

    /// The first slot strictly after `instant`; `nil` if there is none (a cron expression that never fires).
    public func nextSlot(after instant: Date) -> Date? {
        switch self {
        case .every(let interval):
            let seconds = Double(interval.seconds)
            return Date(timeIntervalSince1970: ((instant.timeIntervalSince1970 / seconds).rounded(.down) + 1) * seconds)
        case .cron(let expression, let timeZone):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            return expression.nextMatch(after: instant, in: calendar)
        }
    }

    public var description: String {
        switch self {
        case .every(let interval): "every \(interval)"
        case .cron(let expression, let timeZone): "cron \(expression) \(timeZone.identifier)"
        }
    }
}
