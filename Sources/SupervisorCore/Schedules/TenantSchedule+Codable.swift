import Foundation

/// A schedule in the configuration, the API and `tenant_schedules`: the string `"every 15m"`, or an
/// object with `every` or `cron` (and `time_zone`), and optionally `jitter`. Always written as the object.
extension TenantSchedule: Codable {
    enum Key: String, CaseIterable {
        case every, cron, jitter
        case timeZone = "time_zone"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            if let text = try? container.decode(String.self) {
                try self.init(parsing: text)
            } else {
                guard let object = try? container.decode([String: String].self) else {
                    throw ScheduleError("a schedule is \"every <duration>\" or an object of strings with \"every\" or \"cron\"")
                }
                try self.init(object: object)
            }
        } catch let error as ScheduleError {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// The object form, its keys checked so that a misspelt one (`timezone`) is an error, not ignored.
    init(object: [String: String]) throws(ScheduleError) {
        let known = Set(Key.allCases.map(\.rawValue))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw ScheduleError("schedule has an unknown key \"\(unknown)\" (known: every, cron, time_zone, jitter)")
        }
        let timing: ScheduleTiming
        switch (object[Key.every.rawValue], object[Key.cron.rawValue]) {
        case (let every?, nil):
            guard object[Key.timeZone.rawValue] == nil else { throw ScheduleError("schedule: time_zone goes with cron, not with every") }
            timing = .every(try Self.interval(every))
        case (nil, let cron?):
            let zoneName = object[Key.timeZone.rawValue] ?? "UTC"
            guard let timeZone = TimeZone(identifier: zoneName) else {
                throw ScheduleError("schedule time_zone \"\(zoneName)\" is not a known time zone (use an IANA name such as Europe/Madrid)")
            }
            timing = .cron(try CronExpression(parsing: cron), timeZone: timeZone)
        default:
            throw ScheduleError("a schedule object needs exactly one of \"every\" and \"cron\"")
        }
        self.init(timing, jitter: try object[Key.jitter.rawValue].map { text throws(ScheduleError) in try ScheduleDuration(parsing: text) } ?? ScheduleDuration(seconds: 0))
    }

    /// The object form.
    var object: [String: String] {
        var object: [String: String] = [:]
        switch timing {
        case .every(let interval):
            object[Key.every.rawValue] = interval.description
        case .cron(let expression, let timeZone):
            object[Key.cron.rawValue] = expression.description
            object[Key.timeZone.rawValue] = timeZone.identifier
        }
        if jitter.seconds > 0 { object[Key.jitter.rawValue] = jitter.description }
        return object
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(object)
    }

    /// The text `tenant_schedules.schedule` holds: the object form as JSON with sorted keys, so the
    /// same schedule is always the same text.
    var storedText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(object)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// A schedule as `tenant_schedules.schedule` holds it.
    init(storedText: String) throws(ScheduleError) {
        guard let object = try? JSONDecoder().decode([String: String].self, from: Data(storedText.utf8)) else {
            throw ScheduleError("stored schedule \(storedText) is not a schedule object")
        }
        try self.init(object: object)
    }
}
