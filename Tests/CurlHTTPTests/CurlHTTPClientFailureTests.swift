import CurlHTTP
import Testing

@Suite("CurlHTTPClient failures")
struct CurlHTTPClientFailureTests {
    @Test("A handler slower than the timeout gives a retryable .timeout")
    func totalTimeout() async throws {
        try await withTestServer(makeTestRouter()) { base in
            let request = HTTPRequest(url: base + "/stall", timeout: .milliseconds(300))
            let clock = ContinuousClock()
            let start = clock.now
            let error = try #require(failure(await perform(CurlHTTPClient(), request)))
            #expect(error.code == .timeout)
            #expect(error.curlCode == 28)
            #expect(error.isRetryable)
            #expect(clock.now - start < .seconds(10))
        }
    }

    @Test("A refused connection gives a retryable .couldNotConnect")
    func connectionRefused() async throws {
        try await withClosedLoopbackPort { port in
            let request = HTTPRequest(url: "http://127.0.0.1:\(port)/anything", connectTimeout: .seconds(2))
            let error = try #require(failure(await perform(CurlHTTPClient(), request)))
            #expect(error.code == .couldNotConnect)
            #expect(error.curlCode == 7)
            #expect(error.isRetryable)
            #expect(!error.message.isEmpty)
        }
    }

    @Test("The client works again after a failed request")
    func recoversAfterFailure() async throws {
        try await withTestServer(makeTestRouter()) { base in
            let client = CurlHTTPClient()
            let error = failure(await perform(client, HTTPRequest(url: base + "/stall", timeout: .milliseconds(200))))
            #expect(error?.code == .timeout)
            let response = try await perform(client, HTTPRequest(url: base + "/hello")).get()
            #expect(response.bodyText == "hello, world")
        }
    }

    @Test("A body over maximumResponseBytes gives .tooLarge", arguments: ["/big", "/big-chunked"])
    func tooLarge(route: String) async throws {
        try await withTestServer(makeTestRouter()) { base in
            let client = CurlHTTPClient(maximumResponseBytes: 50_000)
            let error = try #require(failure(await perform(client, HTTPRequest(url: base + route + "/100000"))))
            #expect(error.code == .tooLarge)
            // With a Content-Length libcurl refuses up front (63); a chunked body is cut off by the write callback (23).
            #expect(error.curlCode == (route == "/big" ? 63 : 23))
            #expect(!error.isRetryable)
            let fits = try await perform(client, HTTPRequest(url: base + route + "/50000")).get()
            #expect(fits.body.count == 50_000)
        }
    }

    @Test(
        "Invalid URLs and schemes give .invalidURL",
        arguments: ["not a url", "file:///tenantsync-no-such-file", "ftp://127.0.0.1/x"]
    )
    func invalidURL(url: String) async {
        let error = failure(await perform(CurlHTTPClient(), HTTPRequest(url: url)))
        #expect(error?.code == .invalidURL)
        #expect(error?.isRetryable == false)
    }

    @Test("Header and method injection is rejected before sending")
    func invalidRequest() async {
        let client = CurlHTTPClient()
        let badHeader = HTTPRequest(url: "http://127.0.0.1:1/", headers: [(name: "X-A", value: "1\r\nX-Injected: 2")])
        #expect(failure(await perform(client, badHeader))?.code == .invalidRequest)
        let badName = HTTPRequest(url: "http://127.0.0.1:1/", headers: [(name: "X A", value: "1")])
        #expect(failure(await perform(client, badName))?.code == .invalidRequest)
        let badMethod = HTTPRequest(method: "GET /x HTTP/1.1\r\n", url: "http://127.0.0.1:1/")
        #expect(failure(await perform(client, badMethod))?.code == .invalidRequest)
    }
}
