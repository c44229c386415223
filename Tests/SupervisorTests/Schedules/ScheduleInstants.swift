import Foundation

/// Instants written as in the tests' expectations: `2024-03-31T01:30:00Z`.
enum ScheduleInstants {
    static func at(_ text: String) -> Date {
        guard let date = try? Date(text, strategy: .iso8601) else { preconditionFailure("not an ISO 8601 instant: \(text)") }
        return date
    }

    static func text(_ date: Date?) -> String {
        date.map { $0.formatted(.iso8601) } ?? "none"
    }
}
