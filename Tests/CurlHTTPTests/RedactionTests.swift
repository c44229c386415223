import CurlHTTP
import Testing

@Suite("Credentials stay out of errors and descriptions")
struct RedactionTests {
    @Test("User info and secret query values are removed from URLs")
    func redactURL() {
        let url = "https://ck_1:cs_2@shop.example/wp-json/wc/v3/orders?page=2&consumer_key=ck_1&consumer_secret=cs_2"
        #expect(URLRedactor.redact(url) == "https://shop.example/wp-json/wc/v3/orders?page=2&consumer_key=REDACTED&consumer_secret=REDACTED")
        #expect(URLRedactor.redact("http://user@host:8080/p") == "http://host:8080/p")
        #expect(URLRedactor.redact("https://h/p?Access_Token=abc&X-Amz-Signature=def&api%5Fkey=ghi&password=jkl&q=ok")
            == "https://h/p?Access_Token=REDACTED&X-Amz-Signature=REDACTED&api%5Fkey=REDACTED&password=REDACTED&q=ok")
        #expect(URLRedactor.redact("https://h/p#access_token=abc") == "https://h/p#access_token=REDACTED")
        #expect(URLRedactor.redact("https://h/a@b?x=1") == "https://h/a@b?x=1", "an @ in the path is not user info")
        #expect(URLRedactor.redact("https://h/p?flag&token") == "https://h/p?flag&token")
    }

    @Test("HTTPClientError redacts its URL, also when assigned later")
    func errorURL() {
        var error = HTTPClientError(code: .other, url: "http://u:pw@h/x?token=t0k3n", message: "boom")
        #expect(error.url == "http://h/x?token=REDACTED")
        error.url = "http://v:pw2@h/y?secret=s3"
        #expect(error.url == "http://h/y?secret=REDACTED")
        #expect(!error.description.contains("pw2") && !error.description.contains("s3"))
    }

    @Test("A failed request's error never shows the password or secret query values")
    func failedRequestError() async throws {
        try await withClosedLoopbackPort { port in
            let password = "cs_very-secret-password"
            let request = HTTPRequest(
                url: "http://ck_user:\(password)@127.0.0.1:\(port)/orders?consumer_secret=\(password)&page=3",
                basicAuth: BasicAuth(user: "ck_user", password: password)
            )
            let error = try #require(failure(await perform(CurlHTTPClient(), request)))
            #expect(error.code == .couldNotConnect)
            #expect(error.url == "http://127.0.0.1:\(port)/orders?consumer_secret=REDACTED&page=3")
            #expect(!error.description.contains(password))
            #expect(!String(reflecting: error).contains(password))
            #expect(!error.message.contains(password))
        }
    }

    @Test("Request and BasicAuth descriptions hide the password")
    func descriptions() {
        let auth = BasicAuth(user: "ck_user", password: "cs_hidden")
        let request = HTTPRequest(
            method: "POST", url: "https://shop.example/x?consumer_secret=cs_hidden",
            headers: [(name: "Authorization", value: "Bearer cs_hidden")], body: [1, 2], basicAuth: auth
        )
        for text in [
            request.description, String(reflecting: request), "\(request)",
            auth.description, String(reflecting: auth), dumped(auth), dumped(request),
        ] {
            #expect(!text.contains("cs_hidden"), "\(text)")
        }
        #expect(request.description.contains("ck_user"))
        #expect(request.description.contains("Authorization"))
    }

    private func dumped(_ value: some Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }
}
