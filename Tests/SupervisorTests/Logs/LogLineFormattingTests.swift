import Foundation
import Testing
@testable import SupervisorCore

@Suite("Log line pieces: timestamps, level labels")
struct LogLineFormattingTests {
    @Test("timestamps are RFC 3339 UTC with milliseconds, the same as Foundation's formatter", arguments: [
        0.0, 0.5, 59.875, 951_782_400.5, 4_107_542_399.75, 1_795_392_000.125, -1.0, -86_400.25, -2_208_988_800.0,
    ])
    func timestamps(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        // Foundation rounds to the nearest millisecond; log stamps truncate, so compare whole milliseconds.
        let truncated = Date(timeIntervalSince1970: (seconds * 1000).rounded(.down) / 1000)
        #expect(LogTimestamp.format(date) == formatter.string(from: truncated))
        #expect(LogTimestamp.parse(LogTimestamp.format(date)) == truncated)
    }

    @Test("level labels are five characters")
    func labels() {
        #expect(["trace", "debug", "info", "notice", "warning", "error", "critical", "warn", "fatal", "odd"].map(LogLevels.label)
            == ["TRACE", "DEBUG", "INFO ", "NOTE ", "WARN ", "ERROR", "CRIT ", "WARN ", "CRIT ", "ODD  "])
    }
}
