import Foundation
import Support

/// RFC 3339 timestamps in UTC with milliseconds, without Foundation formatters (which are slow
/// and not all thread-safe on every platform).
public enum LogTimestamp {
    public static func format(_ date: Date) -> String {
        var bytes: [UInt8] = []
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the stamp's 24 bytes to `output`.
    static func append(_ date: Date, to output: inout [UInt8]) {
        // Plain arithmetic on the Unix time: no libc time zone machinery, which stats
        // /etc/localtime on every call when TZ is unset and showed up once per stored line.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (days, millisecondOfDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let (day, remainder) = millisecondOfDay < 0 ? (days - 1, millisecondOfDay + 86_400_000) : (days, millisecondOfDay)
        let civil = CivilDate(daysSinceEpoch: Int(day))
        var bytes = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int64, at offset: Int, width: Int) {
            var value = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(Int64(civil.year), at: 0, width: 4)
        bytes[4] = UInt8(ascii: "-")
        put(Int64(civil.month), at: 5, width: 2)
        bytes[7] = UInt8(ascii: "-")
        put(Int64(civil.day), at: 8, width: 2)
        bytes[10] = UInt8(ascii: "T")
        put(remainder / 3_600_000, at: 11, width: 2)
        bytes[13] = UInt8(ascii: ":")
        put(remainder / 60_000 % 60, at: 14, width: 2)
        bytes[16] = UInt8(ascii: ":")
        put(remainder / 1000 % 60, at: 17, width: 2)
        bytes[19] = UInt8(ascii: ".")
        put(remainder % 1000, at: 20, width: 3)
        bytes[23] = UInt8(ascii: "Z")
        output.append(contentsOf: bytes)
    }

    /// Parses an RFC 3339 timestamp (with or without fractional seconds), or `nil`.
    public static func parse(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        return ISO8601DateFormatter().date(from: text)
    }

    /// Parses the stamp the files use (`2026-01-02T03:04:05.678Z`) without a formatter, falling back
    /// to ``parse(_:)`` for any other RFC 3339 form.
    static func parseFileStamp(_ text: Substring) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "."),
            bytes[23] == UInt8(ascii: "Z")
        else { return parse(String(text)) }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int32(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), let millisecond = number(20..<23)
        else { return parse(String(text)) }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + Double(millisecond) / 1000)
    }
}
