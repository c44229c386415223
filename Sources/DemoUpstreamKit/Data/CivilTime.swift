import Support

/// Calendar arithmetic on days and seconds since 1970-01-01, without Foundation's `Calendar`.
///
/// Generating 100,000 bookings formats hundreds of thousands of dates; ``CivilDate``'s arithmetic
/// does it without allocation or locale lookups.
enum CivilTime {
    /// 2025-11-19T14:09:00 site time: the fixed "now" that all demo data is generated around.
    static let referenceSeconds: Int64 = seconds(year: 2025, month: 11, day: 19) + 14 * 3600 + 9 * 60

    /// Returns the days since 1970-01-01 of a proleptic Gregorian date.
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        Int64(CivilDate(year: year, month: month, day: day).daysSinceEpoch)
    }

    /// Returns the seconds since 1970-01-01T00:00:00 of midnight on a date.
    static func seconds(year: Int, month: Int, day: Int) -> Int64 {
        days(year: year, month: month, day: day) * 86_400
    }

    /// Returns the year, month and day of a day number.
    static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let date = CivilDate(daysSinceEpoch: Int(days))
        return (date.year, date.month, date.day)
    }

    /// Formats a day number as `YYYY-MM-DD`.
    static func date(days: Int64) -> String {
        let (year, month, day) = civil(days: days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        appendDigits(&bytes, year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(&bytes, month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(&bytes, day, width: 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Formats seconds since the epoch the way WordPress does: `YYYY-MM-DDTHH:MM:SS`, no zone.
    static func dateTime(seconds: Int64) -> String {
        let days = floorDiv(seconds, 86_400)
        let rest = Int(seconds - days * 86_400)
        var bytes = Array(date(days: days).utf8)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(&bytes, rest / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(&bytes, rest / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(&bytes, rest % 60, width: 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `YYYY-MM-DD`, returning its day number.
    static func parseDate(_ text: some StringProtocol) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return days(year: year, month: month, day: day)
    }

    /// Parses an RFC 3339 date-time as WordPress's `rest_parse_date` accepts it.
    ///
    /// Returns seconds since the epoch in UTC. Without a zone the time is read as site time, which is
    /// `siteOffsetSeconds` ahead of UTC, as WordPress does for `after` and `before`.
    static func parseDateTime(_ text: some StringProtocol, siteOffsetSeconds: Int64) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, let day = parseDate(String(decoding: bytes[0..<10], as: UTF8.self)),
            [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[10]),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]),
            let second = number(bytes[17..<19]), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            if index == start { return nil }
        }
        let local = day * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        if index == bytes.count { return local - siteOffsetSeconds }
        if index + 1 == bytes.count, bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            return local
        }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return nil }
        let sign: Int64 = bytes[index] == UInt8(ascii: "+") ? 1 : -1
        let zone = Array(bytes[(index + 1)...]).filter { $0 != UInt8(ascii: ":") }
        guard zone.count == 2 || zone.count == 4, let hours = number(zone[0..<2][...]) else { return nil }
        let minutes = zone.count == 4 ? number(zone[2..<4][...]) : 0
        guard let minutes else { return nil }
        return local - sign * Int64(hours * 3600 + minutes * 60)
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return bytes.isEmpty ? nil : value
    }

    private static func appendDigits(_ bytes: inout [UInt8], _ value: Int, width: Int) {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var rest = value
        for index in stride(from: width - 1, through: 0, by: -1) {
            digits[index] = UInt8(48 + rest % 10)
            rest /= 10
        }
        bytes.append(contentsOf: digits)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
