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
        // Both are validated YYYY-MM-DD, so text order is date order.
        if let start = options.startDate, let end = options.endDate, start > end {
            throw APIError(.invalidDateRange, "end_date \(end) is before start_date \(start)")
        }
        return options
    }

    /// `background` defaults to true; `background=false` makes the request wait for the run's end.
    static func background(from query: Parameters) throws -> Bool {
        guard let value = query["background"] else { return true }
        guard let flag = Bool(String(value)) else { throw APIError.badRequest("background must be true or false, got \"\(value)\"") }
        return flag
    }

    /// `value` if it is a real calendar date written `YYYY-MM-DD`; `invalid_date` otherwise.
    private static func date(_ value: Substring?, name: String) throws -> String? {
        guard let value else { return nil }
        let text = String(value)
        guard isCalendarDate(text) else {
            throw APIError(.invalidDate, "\(name) must be a date written YYYY-MM-DD, got \"\(text)\"")
        }
        return text
    }

    /// Whether `text` is exactly `YYYY-MM-DD` and names a day that exists (no 2025-02-30).
    static func isCalendarDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes.indices.allSatisfy({ $0 == 4 || $0 == 7 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[$0]) })
        else { return false }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - UInt8(ascii: "0")) } }
        let year = number(0..<4), month = number(5..<7), day = number(8..<10)
        guard year >= 1, (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }
}
