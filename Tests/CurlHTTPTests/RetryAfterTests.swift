import CurlHTTP
import Foundation
import Testing

@Suite("Retry-After and HTTP-dates")
struct RetryAfterTests {
    /// Sun, 06 Nov 1994 08:49:37 GMT, the example date of RFC 9110.
    static let exampleDate: Int64 = 784_111_777

    @Test("Delta-seconds")
    func deltaSeconds() {
        #expect(HTTPResponse.parseRetryAfter("120", nowUnixSeconds: 0) == .seconds(120))
        #expect(HTTPResponse.parseRetryAfter(" 7\t", nowUnixSeconds: 0) == .seconds(7))
        #expect(HTTPResponse.parseRetryAfter("0", nowUnixSeconds: 0) == .zero)
        #expect(HTTPResponse.parseRetryAfter("99999999999999999999999", nowUnixSeconds: 0) == .seconds(Int64.max))
        #expect(HTTPResponse.parseRetryAfter("-5", nowUnixSeconds: 0) == nil)
        #expect(HTTPResponse.parseRetryAfter("1.5", nowUnixSeconds: 0) == nil)
        #expect(HTTPResponse.parseRetryAfter("", nowUnixSeconds: 0) == nil)
        #expect(HTTPResponse.parseRetryAfter("soon", nowUnixSeconds: 0) == nil)
    }

    @Test("HTTP-dates in all three forms, relative to now")
    func httpDates() {
        let now = Self.exampleDate - 90
        for form in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            #expect(HTTPDate.parse(form) == Self.exampleDate, "\(form)")
            #expect(HTTPResponse.parseRetryAfter(form, nowUnixSeconds: now) == .seconds(90), "\(form)")
        }
        #expect(HTTPResponse.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", nowUnixSeconds: Self.exampleDate + 5) == .zero)
        #expect(HTTPDate.parse("Thu, 29 Feb 2024 12:00:00 GMT") == 1_709_208_000)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 25:49:37 GMT") == nil)
        #expect(HTTPDate.parse("Sun, 06 Foo 1994 08:49:37 GMT") == nil)
    }

    @Test("Formatting is IMF-fixdate and round-trips")
    func formatting() {
        #expect(HTTPDate.format(unixSeconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(unixSeconds: Self.exampleDate) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(unixSeconds: 1_709_208_000) == "Thu, 29 Feb 2024 12:00:00 GMT")
        for seconds: Int64 in [1, 86_399, 951_782_400, 4_102_444_800, 253_402_300_799] {
            #expect(HTTPDate.parse(HTTPDate.format(unixSeconds: seconds)) == seconds)
        }
    }

    @Test("A response header is looked up case-insensitively")
    func fromHeaders() {
        let response = HTTPResponse(status: 503, headers: [(name: "retry-after", value: "30")])
        #expect(response.retryAfter == .seconds(30))
        #expect(HTTPResponse(status: 429).retryAfter == nil)
    }

    @Test("429 round trips with delta-seconds and with an HTTP-date")
    func tooManyRequests() async throws {
        try await withTestServer(makeTestRouter()) { base in
            let client = CurlHTTPClient()
            let delta = try await perform(client, HTTPRequest(url: base + "/limited")).get()
            #expect(delta.status == 429)
            #expect(delta.retryAfter == .seconds(7))

            let dated = try await perform(client, HTTPRequest(url: base + "/limited-until")).get()
            #expect(dated.status == 429)
            let wait = try #require(dated.retryAfter)
            // The server formats now + 120 s in whole seconds; allow for the clock ticking in between.
            #expect(wait >= .seconds(115) && wait <= .seconds(121))
        }
    }
}
