import Foundation
import Hummingbird

/// Reads a sync request's query parameters, rejecting bad values with a clear message.
enum SyncRequestParser {
    static func options(from query: Parameters) throws -> SyncOptions {
        var options = SyncOptions()
        if let full = query["full"] {
            guard let value = Bool(String(full)) else { throw APIError.badRequest("full must be true or false, got \"\(full)\"") }
            options.full = value
        }
        options.startDate = try date(query["start_date"], name: "start_date")
        options.endDate = try date(query["end_date"], name: "end_date")
        if let start = options.startDate, let end = options.endDate, start > end {
            throw APIError.badRequest("start_date \(start) is after end_date \(end)")
        }
        return options
    }

    /// `background` defaults to true; `background=false` makes the request wait for the run's end.
    static func background(from query: Parameters) throws -> Bool {
        guard let value = query["background"] else { return true }
        guard let flag = Bool(String(value)) else { throw APIError.badRequest("background must be true or false, got \"\(value)\"") }
        return flag
    }

    private static func date(_ value: Substring?, name: String) throws -> String? {
        guard let value else { return nil }
        let text = String(value)
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil,
              (1...12).contains(month), (1...31).contains(day)
        else {
            throw APIError.badRequest("\(name) must be a date as YYYY-MM-DD, got \"\(text)\"")
        }
        return text
    }
}
