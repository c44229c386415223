import Testing
@testable import Support

@Suite("CivilDate: days since 1970 and the proleptic Gregorian calendar")
struct CivilDateTests {
    @Test("known days", arguments: [
        (0, CivilDate(year: 1970, month: 1, day: 1)),
        (-1, CivilDate(year: 1969, month: 12, day: 31)),
        (11_016, CivilDate(year: 2000, month: 2, day: 29)),
        (11_017, CivilDate(year: 2000, month: 3, day: 1)),
        (-25_508, CivilDate(year: 1900, month: 3, day: 1)),  // 1900 is no leap year: February had 28 days
        (-719_162, CivilDate(year: 1, month: 1, day: 1)),
        (-719_468, CivilDate(year: 0, month: 3, day: 1)),
        (-719_469, CivilDate(year: 0, month: 2, day: 29)),  // 1 BC is a leap year in the proleptic calendar
        (2_932_896, CivilDate(year: 9999, month: 12, day: 31)),
    ])
    func knownDays(days: Int, date: CivilDate) {
        #expect(CivilDate(daysSinceEpoch: days) == date)
        #expect(date.daysSinceEpoch == days)
    }

    /// Walks day by day across 3,000 years either side of 1970 (several 400-year eras, year 0 and
    /// negative years among them), checking each date against the one before it by the calendar's
    /// own rules, and each conversion against its inverse.
    @Test("every day from about 1030 BC to AD 4970 follows the one before it, both ways")
    func walk() {
        func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }
        func length(_ year: Int, _ month: Int) -> Int {
            switch month {
            case 2: isLeap(year) ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }
        let span = 3_000 * 366
        var previous = CivilDate(daysSinceEpoch: -span - 1)
        var failures = 0
        for days in -span...span {
            let date = CivilDate(daysSinceEpoch: days)
            var expected = previous
            expected.day += 1
            if expected.day > length(expected.year, expected.month) {
                expected.day = 1
                expected.month += 1
                if expected.month > 12 {
                    expected.month = 1
                    expected.year += 1
                }
            }
            if date != expected || date.daysSinceEpoch != days {
                failures += 1
                if failures <= 5 { Issue.record("day \(days): \(date), expected \(expected), back to \(date.daysSinceEpoch)") }
            }
            previous = date
        }
        #expect(failures == 0)
    }

    @Test("a day past the month's end counts on into the next month")
    func overflow() {
        #expect(CivilDate(year: 2023, month: 2, day: 31).daysSinceEpoch == CivilDate(year: 2023, month: 3, day: 3).daysSinceEpoch)
    }
}
