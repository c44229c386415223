import Support

/// Parses and formats HTTP-dates (RFC 9110 section 5.6.7) as seconds since the Unix epoch, without Foundation.
///
/// Parses all three forms a recipient must accept: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`),
/// RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`). The weekday is
/// not checked.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday

    /// Seconds since the Unix epoch for an HTTP-date, or `nil` when `text` is not one.
    public static func parse(_ text: String) -> Int64? {
        let tokens = text.split { $0 == " " || $0 == "," || $0 == "\t" }
        switch tokens.count {
        case 6 where isGMT(tokens[5]):  // Sun, 06 Nov 1994 08:49:37 GMT
            return make(year: tokens[3], month: tokens[2], day: tokens[1], time: tokens[4])
        case 4 where isGMT(tokens[3]):  // Sunday, 06-Nov-94 08:49:37 GMT
            let parts = tokens[1].split(separator: "-")
            guard parts.count == 3, parts[2].count == 2, let yy = Int64(parts[2]) else { return nil }
            // Two-digit years: RFC 9110 says to pick the most recent past year with those digits; 1970-2069 is close enough.
            let year = yy < 70 ? 2000 + yy : 1900 + yy
            return make(year: Substring(String(year)), month: parts[1], day: parts[0], time: tokens[2])
        case 5:  // Sun Nov  6 08:49:37 1994
            return make(year: tokens[4], month: tokens[1], day: tokens[2], time: tokens[3])
        default:
            return nil
        }
    }

    /// The IMF-fixdate for `unixSeconds`, such as `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func format(unixSeconds: Int64) -> String {
        let days = floorDivide(unixSeconds, 86_400)
        let secondOfDay = unixSeconds - days * 86_400
        let date = CivilDate(daysSinceEpoch: Int(days))
        let (year, month, day) = (Int64(date.year), Int64(date.month), Int64(date.day))
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        let monthName = months[Int(month) - 1].prefix(1).uppercased() + months[Int(month) - 1].dropFirst()
        return "\(weekday), \(pad(day)) \(monthName) \(year) "
            + "\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60)) GMT"
    }

    private static func isGMT(_ token: Substring) -> Bool {
        token == "GMT" || token == "UTC"
    }

    private static func make(year: Substring, month: Substring, day: Substring, time: Substring) -> Int64? {
        guard let year = Int64(year), (1...9999).contains(year),
            let monthIndex = months.firstIndex(of: month.lowercased()),
            let day = Int64(day), (1...31).contains(day)
        else { return nil }
        let clock = time.split(separator: ":")
        guard clock.count == 3, let hour = Int64(clock[0]), let minute = Int64(clock[1]), let second = Int64(clock[2]),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = Int64(CivilDate(year: Int(year), month: monthIndex + 1, day: Int(day)).daysSinceEpoch)
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a - b + 1) / b
    }

    private static func pad(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
