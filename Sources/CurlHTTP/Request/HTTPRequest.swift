/// One HTTP request for ``CurlHTTPClient`` or ``CurlMultiFetcher``.
///
/// Put credentials in ``basicAuth`` or a header, never in the URL. ``description`` shows the method, the
/// redacted URL and header names only, so a request can be logged. A ``timeout`` or ``connectTimeout``
/// of zero means no limit.
public struct HTTPRequest: Sendable, CustomStringConvertible {
    /// The method, sent as given (`GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, ...).
    public var method: String
    /// An absolute `http` or `https` URL; other schemes fail with ``HTTPClientError/Code/invalidURL``.
    public var url: String
    /// Extra request headers in order; a header named like a default one (`User-Agent`, `Accept-Encoding`) replaces it.
    public var headers: [(name: String, value: String)]
    /// The request body, if any; sent with a `Content-Length`.
    public var body: [UInt8]?
    /// HTTP Basic credentials, if any.
    public var basicAuth: BasicAuth?
    /// How long connecting (DNS, TCP, TLS) may take.
    public var connectTimeout: Duration
    /// How long the whole transfer may take, connecting included.
    public var timeout: Duration
    /// Whether to follow 3xx redirects (up to ``maximumRedirects``, http and https only).
    public var followRedirects: Bool
    /// How many redirects to follow when ``followRedirects`` is on.
    public var maximumRedirects: Int

    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil,
        basicAuth: BasicAuth? = nil,
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(60),
        followRedirects: Bool = false,
        maximumRedirects: Int = 10
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.basicAuth = basicAuth
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.followRedirects = followRedirects
        self.maximumRedirects = maximumRedirects
    }

    public var description: String {
        var text = "\(method) \(URLRedactor.redact(url))"
        if !headers.isEmpty {
            text += " headers: [\(headers.map(\.name).joined(separator: ", "))]"
        }
        if let body {
            text += " body: \(body.count) bytes"
        }
        if let basicAuth {
            text += " \(basicAuth)"
        }
        return text
    }
}
