extension Duration {
    /// Whole milliseconds for libcurl's `_MS` options: rounded up so a short timeout never becomes 0 (which
    /// libcurl reads as no limit); zero and negative durations give 0, no limit.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds > 0 || (seconds == 0 && attoseconds > 0) else { return 0 }
        guard seconds < Int64.max / 1000 - 1 else { return Int.max }
        return Int(seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
