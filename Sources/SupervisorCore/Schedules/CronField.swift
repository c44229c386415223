/// One of a cron expression's five fields: the values it allows, parsed from its text.
///
/// A field is a comma-separated list of items; an item is `*`, a value or a range `a-b`, optionally
/// followed by a step (`*/15`, `8-18/2`, `5/20` meaning `5-max/20`). Month and weekday fields also take
/// three-letter English names (`jan`, `mon`), in any case.
struct CronField: Hashable, Sendable {
    /// Which field this is, with its range and names.
    struct Kind: Sendable {
        var name: String
        var range: ClosedRange<Int>
        /// Names for values, lowercase, the first standing for `range.lowerBound`.
        var names: [String] = []

        static let minute = Kind(name: "minute", range: 0...59)
        static let hour = Kind(name: "hour", range: 0...23)
        static let dayOfMonth = Kind(name: "day of month", range: 1...31)
        static let month = Kind(name: "month", range: 1...12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
        /// 0 and 7 are both Sunday.
        static let dayOfWeek = Kind(name: "day of week", range: 0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"])
    }

    /// The allowed values, ascending.
    let values: [Int]
    /// Whether the field's text starts with `*`: a day field written so does not restrict the day
    /// (cron's rule for combining day of month and day of week).
    let isWildcard: Bool

    init(parsing text: String, kind: Kind) throws(ScheduleError) {
        guard !text.isEmpty else { throw ScheduleError("cron \(kind.name) field is empty") }
        var allowed = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            try Self.parseItem(String(item), kind: kind, into: &allowed)
        }
        if kind.range == Kind.dayOfWeek.range, allowed.remove(7) != nil { allowed.insert(0) }
        values = allowed.sorted()
        isWildcard = text.hasPrefix("*")
    }

    func contains(_ value: Int) -> Bool {
        values.contains(value)
    }

    private static func parseItem(_ item: String, kind: Kind, into allowed: inout Set<Int>) throws(ScheduleError) {
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, !item.isEmpty else { throw ScheduleError("cron \(kind.name) item \"\(item)\" is not valid") }
        var step = 1
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), parsed >= 1, parsed <= kind.range.upperBound else {
                throw ScheduleError("cron \(kind.name) step in \"\(item)\" must be a whole number from 1 to \(kind.range.upperBound)")
            }
            step = parsed
        }
        let base = parts[0]
        let lower: Int
        var upper: Int
        if base == "*" {
            lower = kind.range.lowerBound
            upper = kind.range.upperBound
            // `*/n` on weekdays steps over 0...6: 7 would repeat Sunday.
            if kind.range == Kind.dayOfWeek.range { upper = 6 }
        } else {
            let ends = base.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2 else { throw ScheduleError("cron \(kind.name) item \"\(item)\" is not valid") }
            lower = try value(String(ends[0]), kind: kind)
            if ends.count == 2 {
                upper = try value(String(ends[1]), kind: kind)
                guard lower <= upper else { throw ScheduleError("cron \(kind.name) range \"\(base)\" runs backwards") }
            } else {
                // `5/20` is `5-max/20`; a lone value is itself.
                upper = parts.count == 2 ? kind.range.upperBound : lower
            }
        }
        for candidate in stride(from: lower, through: upper, by: step) {
            allowed.insert(candidate)
        }
    }

    private static func value(_ text: String, kind: Kind) throws(ScheduleError) -> Int {
        if let index = kind.names.firstIndex(of: text.lowercased()) {
            return kind.range.lowerBound + index
        }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text), kind.range.contains(number) else {
            throw ScheduleError("cron \(kind.name) value \"\(text)\" must be from \(kind.range.lowerBound) to \(kind.range.upperBound)\(kind.names.isEmpty ? "" : " or a name such as \(kind.names[1])")")
        }
        return number
    }
}
