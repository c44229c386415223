#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension HTTPResponse {
    /// How long the server asks the client to wait, from `Retry-After`; `nil` when absent or unparsable.
    ///
    /// Accepts delta-seconds (`120`) and an HTTP-date, which is taken relative to the current system
    /// time; a date in the past gives zero.
    public var retryAfter: Duration? {
        header("Retry-After").flatMap { Self.parseRetryAfter($0, nowUnixSeconds: Self.currentUnixSeconds()) }
    }

    /// Parses a `Retry-After` value: delta-seconds or an HTTP-date relative to `nowUnixSeconds`.
    ///
    /// Huge delta-seconds saturate rather than fail; a date before `nowUnixSeconds` gives zero.
    public static func parseRetryAfter(_ value: String, nowUnixSeconds: Int64) -> Duration? {
        let trimmed = value.trimmingHTTPWhitespace()
        guard !trimmed.isEmpty else { return nil }
        if trimmed.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            return .seconds(Int64(trimmed) ?? Int64.max)
        }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        return .seconds(max(0, date - nowUnixSeconds))
    }

    static func currentUnixSeconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }
}
