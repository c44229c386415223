import struct Foundation.Date
import Support

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
        var seconds = CivilDate(year: year, month: month, day: day).daysSinceEpoch * 86_400
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
        let date = CivilDate(daysSinceEpoch: days)
        let (year, month, day) = (date.year, date.month, date.day)
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
