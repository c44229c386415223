import Foundation

/// A whole number of seconds written as a number and one unit: `2s`, `15m`, `6h`, `1d`.
///
/// Used for interval schedules (`every 15m`) and jitter (`2m`). ``description`` writes the largest
/// unit that divides it evenly, so `900s` and `15m` are the same duration and print as `15m`.
public struct ScheduleDuration: Hashable, Sendable, CustomStringConvertible {
    /// The length in seconds; never negative.
    public var seconds: Int

    public init(seconds: Int) {
        self.seconds = seconds
    }

    /// The units, largest first, with their length in seconds.
    static let units: [(suffix: Character, seconds: Int)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Parses `<digits><unit>`, unit one of `s`, `m`, `h`, `d`; surrounding whitespace is ignored.
    public init(parsing text: String) throws(ScheduleError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let unit = trimmed.last, let length = Self.units.first(where: { $0.suffix == unit })?.seconds else {
            throw ScheduleError("duration \"\(text)\" needs a unit: s, m, h or d (as in 15m)")
        }
        let digits = trimmed.dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits), count <= 999_999 else {
            throw ScheduleError("duration \"\(text)\" is not a whole number (at most 6 digits) followed by s, m, h or d (as in 15m)")
        }
        seconds = count * length
    }

    public var description: String {
        guard seconds > 0 else { return "0s" }
        let unit = Self.units.first { seconds.isMultiple(of: $0.seconds) } ?? ("s", 1)
        return "\(seconds / unit.seconds)\(unit.suffix)"
    }
}
