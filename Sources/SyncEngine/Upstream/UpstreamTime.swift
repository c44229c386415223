import Foundation

/// Turns a checkpoint's high-water mark into the time an upstream query asks for.
enum UpstreamTime {
    /// `mark` (RFC 3339 UTC, as `CheckpointStore` writes it) less `seconds`, as WordPress's
    /// `YYYY-MM-DD HH:MM:SS` in UTC without a zone, for comparison with a `_gmt` column.
    static func wordPressGMT(fromMark mark: String, minusSeconds seconds: Int) -> String? {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = parser.date(from: mark) ?? ISO8601DateFormatter().date(from: mark) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date.addingTimeInterval(-Double(seconds)))
    }
}
