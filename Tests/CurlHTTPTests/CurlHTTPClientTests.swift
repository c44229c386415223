import CurlHTTP
import Testing

@Suite("CurlHTTPClient round trips")
struct CurlHTTPClientTests {
    @Test("GET returns status, headers and body")
    func get() async throws {
        try await withTestServer(makeTestRouter()) { base in
            let client = CurlHTTPClient()
            let response = try await perform(client, HTTPRequest(url: base + "/hello")).get()
            #expect(response.status == 200)
            #expect(response.isSuccess)
            #expect(response.bodyText == "hello, world")
            #expect(response.header("content-type") == "text/plain")
            #expect(response.header("X-TEST") == "two", "the last of repeated headers wins")
            #expect(response.headerValues("x-test") == ["one", "two"])
            #expect(response.header("Content-Length") == "12")
            #expect(response.header("X-Echo-User-Agent") == "tenantsync/0.1")
            #expect(response.header("X-Missing") == nil)
            #expect(response.effectiveURL == base + "/hello")
        }
    }

    @Test("POST sends a JSON body and custom headers")
    func postJSON() async throws {
        try await withTestServer(makeTestRouter()) { base in
            let json = #"{"tenant":"acme","pages":[1,2,3]}"#
            let request = HTTPRequest(
                method: "POST", url: base + "/echo",
                headers: [(name: "Content-Type", value: "application/json"), (name: "X-Custom", value: "hello there")],
                body: Array(json.utf8)
            )
            let response = try await perform(CurlHTTPClient(), request).get()
            #expect(response.status == 201)
            #expect(response.bodyText == json)
            #expect(response.header("X-Echo-Method") == "POST")
            #expect(response.header("X-Echo-Content-Type") == "application/json")
            #expect(response.header("X-Echo-Custom") == "hello there")
        }
    }

    @Test("PUT goes through CURLOPT_CUSTOMREQUEST with its body")
    func putWithBody() async throws {
        try await withTestServer(makeTestRouter()) { base in
            let body = [UInt8](repeating: 7, count: 100_000)
            let request = HTTPRequest(method: "PUT", url: base + "/echo", body: body)
            let response = try await perform(CurlHTTPClient(), request).get()
            #expect(response.header("X-Echo-Method") == "PUT")
            #expect(response.body == body)
        }
    }

    @Test("Basic auth reaches the server as an Authorization header")
    func basicAuth() async throws {
        try await withTestServer(makeTestRouter()) { base in
            let client = CurlHTTPClient()
            let allowed = try await perform(client, HTTPRequest(url: base + "/private", basicAuth: testCredentials)).get()
            #expect(allowed.status == 200)
            #expect(allowed.bodyText == "welcome")

            let wrong = BasicAuth(user: testCredentials.user, password: "nope")
            let denied = try await perform(client, HTTPRequest(url: base + "/private", basicAuth: wrong)).get()
            #expect(denied.status == 401)

            let anonymous = try await perform(client, HTTPRequest(url: base + "/private")).get()
            #expect(anonymous.status == 401, "credentials do not leak into the next request on a reused handle")
        }
    }

    @Test("A gzip-encoded body arrives decoded")
    func gzip() async throws {
        try await withTestServer(makeTestRouter()) { base in
            let response = try await perform(CurlHTTPClient(), HTTPRequest(url: base + "/gzip")).get()
            #expect(response.status == 200)
            #expect(response.header("Content-Encoding") == "gzip")
            #expect(response.header("X-Echo-Accept-Encoding")?.contains("gzip") == true)
            #expect(response.bodyText == gzipText)
        }
    }

    @Test("Sequential requests on one client reuse the connection")
    func keepAlive() async throws {
        try await withTestServer(makeTestRouter()) { base in
            let client = CurlHTTPClient()
            let first = try await perform(client, HTTPRequest(url: base + "/hello")).get()
            let second = try await perform(client, HTTPRequest(url: base + "/gzip")).get()
            let third = try await perform(client, HTTPRequest(method: "POST", url: base + "/echo", body: [1, 2, 3])).get()
            #expect(first.newConnections == 1)
            #expect(second.newConnections == 0)
            #expect(third.newConnections == 0)
            #expect(third.body == [1, 2, 3])
        }
    }

    @Test("Redirects are not followed unless asked")
    func redirects() async throws {
        try await withTestServer(makeTestRouter()) { base in
            let client = CurlHTTPClient()
            let unfollowed = try await perform(client, HTTPRequest(url: base + "/redirect")).get()
            #expect(unfollowed.status == 302)
            #expect(unfollowed.header("Location") == "/hello")

            let followed = try await perform(client, HTTPRequest(url: base + "/redirect", followRedirects: true)).get()
            #expect(followed.status == 200)
            #expect(followed.bodyText == "hello, world")
            #expect(followed.header("Location") == nil, "only the final response's headers are kept")
            #expect(followed.effectiveURL == base + "/hello")
        }
    }
}
