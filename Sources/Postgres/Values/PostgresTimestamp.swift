import struct Foundation.Date

/// Converts between `Date` and PostgreSQL's ISO timestamp text without `DateFormatter`, which is slow and
/// does not accept every offset the server prints (`+05:30`, `+00:19:32` for historical zones, ` BC`).
enum PostgresTimestamp {
    /// Parses `timestamptz`, `timestamp` (taken as UTC) and `date` (midnight UTC) output in the ISO DateStyle.
    static func parse(_ text: String) -> Date? {
        switch text {
        case "infinity":
            return .distantFuture
        case "-infinity":
            return .distantPast
        default:
            break
        }
        var bytes = Array(text.utf8)
        var isBC = false
        if bytes.count > 3, bytes.suffix(3).elementsEqual(" BC".utf8) {
            isBC = true
            bytes.removeLast(3)
        }
        var scanner = Scanner(bytes: bytes)
        guard var year = scanner.number(minDigits: 4, maxDigits: 9),
              scanner.skip("-"), let month = scanner.number(minDigits: 2, maxDigits: 2),
              scanner.skip("-"), let day = scanner.number(minDigits: 2, maxDigits: 2),
              (1...12).contains(month), (1...31).contains(day)
        else {
            return nil
        }
        if isBC {
            year = 1 - year
        }
        var seconds = daysFromCivil(year: year, month: month, day: day) * 86_400
        var nanoseconds = 0
        if !scanner.isAtEnd {
            guard scanner.skip(" ") || scanner.skip("T"),
                  let hour = scanner.number(minDigits: 2, maxDigits: 2),
                  scanner.skip(":"), let minute = scanner.number(minDigits: 2, maxDigits: 2),
                  scanner.skip(":"), let second = scanner.number(minDigits: 2, maxDigits: 2),
                  hour <= 24, minute <= 59, second <= 60
            else {
                return nil
            }
            seconds += hour * 3_600 + minute * 60 + second
            if scanner.skip(".") {
                let start = scanner.index
                guard let fraction = scanner.number(minDigits: 1, maxDigits: 9) else {
                    return nil
                }
                let digits = scanner.index - start
                nanoseconds = fraction * Self.powerOfTen(9 - digits)
            }
            if !scanner.isAtEnd {
                guard let offset = scanner.offsetSeconds() else {
                    return nil
                }
                seconds -= offset
            }
        }
        guard scanner.isAtEnd else {
            return nil
        }
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1_000_000_000)
    }

    /// Formats a date in UTC with microsecond precision, the precision PostgreSQL stores.
    static func format(_ date: Date) -> String {
        let microseconds = Int((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (seconds, micros) = floorDivide(microseconds, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civilFromDays(days)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let time = "\(pad(secondOfDay / 3_600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        let fraction = micros == 0 ? "" : "." + pad(micros, 6)
        let era = year <= 0 ? " BC" : ""
        let displayYear = year <= 0 ? 1 - year : year
        return "\(pad(displayYear, 4))-\(pad(month, 2))-\(pad(day, 2)) \(time)\(fraction)+00\(era)"
    }

    private static func powerOfTen(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { value, _ in value * 10 }
    }

    private static func floorDivide(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        let quotient = value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
        return (quotient, value - quotient * divisor)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// A cursor over ASCII bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        var isAtEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else {
                return false
            }
            index += 1
            return true
        }

        mutating func number(minDigits: Int, maxDigits: Int) -> Int? {
            var value = 0
            var count = 0
            while index < bytes.count, count < maxDigits, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                count += 1
            }
            return count >= minDigits ? value : nil
        }

        /// `Z`, `+HH`, `+HH:MM`, `+HH:MM:SS` (or `-`), as seconds east of UTC.
        mutating func offsetSeconds() -> Int? {
            if skip("Z") {
                return 0
            }
            let sign: Int
            if skip("+") {
                sign = 1
            } else if skip("-") {
                sign = -1
            } else {
                return nil
            }
            guard let hours = number(minDigits: 2, maxDigits: 2) else {
                return nil
            }
            var total = hours * 3_600
            if skip(":") {
                guard let minutes = number(minDigits: 2, maxDigits: 2) else {
                    return nil
                }
                total += minutes * 60
                if skip(":") {
                    guard let seconds = number(minDigits: 2, maxDigits: 2) else {
                        return nil
                    }
                    total += seconds
                }
            }
            return sign * total
        }
    }
}
