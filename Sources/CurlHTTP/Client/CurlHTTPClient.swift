import CCurl

/// A blocking HTTP/1.1 client over one reusable libcurl easy handle.
///
/// Consecutive requests to the same host reuse the kept-alive connection (see
/// ``HTTPResponse/newConnections``). Not thread-safe: use one client per thread, and call ``perform(_:)``
/// from a thread of your own, never from the Swift concurrency pool, since it blocks for up to the
/// request's timeout. Sends `User-Agent: tenantsync/0.1` and `Accept-Encoding` for every encoding libcurl
/// decodes, and follows no redirects unless the request asks to.
public final class CurlHTTPClient: @unchecked Sendable {
    /// The largest response body (after decoding) and header block accepted; larger ones fail with ``HTTPClientError/Code/tooLarge``.
    public let maximumResponseBytes: Int

    private var handle: CurlEasyHandle?

    public init(maximumResponseBytes: Int = 64 << 20) {
        self.maximumResponseBytes = maximumResponseBytes
        handle = CurlEasyHandle()
    }

    /// Sends `request` and waits for the whole response; any HTTP status is a response, not an error.
    public func perform(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse {
        guard let handle = handle ?? CurlEasyHandle() else {
            throw HTTPClientError(code: .other, url: request.url, message: "libcurl could not create an easy handle")
        }
        self.handle = handle
        defer { handle.release() }
        try handle.prepare(CurlTransfer(request: request, maximumResponseBytes: maximumResponseBytes))
        return try handle.complete(curl_easy_perform(handle.raw)).get()
    }
}
