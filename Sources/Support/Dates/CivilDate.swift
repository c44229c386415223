/// A day of the proleptic Gregorian calendar, and its distance in days from 1970-01-01.
///
/// Howard Hinnant's `days_from_civil` and `civil_from_days`: plain integer arithmetic, exact for any
/// year (0 is 1 BC, negative years before it), with no calendar object, locale or allocation, so it
/// suits code that formats a date per log line or per record. Callers split Unix time into days and
/// the time of day themselves (with floor division, so that instants before 1970 land on the right day).
public struct CivilDate: Hashable, Sendable {
    /// The astronomical year: 1 BC is 0, 2 BC is -1.
    public var year: Int
    /// 1 (January) through 12.
    public var month: Int
    /// 1 through 31.
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01 (before it when negative).
    public init(daysSinceEpoch days: Int) {
        let shifted = days + 719_468  // days from 0000-03-01, the start of a 400-year era
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days from 1970-01-01 to this date, negative before it.
    ///
    /// Month and day are not checked: a day past the month's end counts on into the next month,
    /// so parsers must reject such dates themselves if they care.
    public var daysSinceEpoch: Int {
        let marchYear = month <= 2 ? year - 1 : year
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
