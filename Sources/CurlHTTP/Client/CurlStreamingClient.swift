import CCurl

/// A blocking libcurl client that hands the response body over chunk by chunk as it arrives, for
/// responses that last as long as the reader wants (Server-Sent Events).
///
/// Give the request a ``HTTPRequest/timeout`` of zero for a stream with no end. Not thread-safe;
/// call ``stream(_:receive:)`` from a thread of your own, never from the Swift concurrency pool.
public final class CurlStreamingClient: @unchecked Sendable {
    public init() {}

    /// Sends `request` and calls `receive` with the response status and each chunk of the body as it
    /// arrives; `receive` returning `false` ends the transfer early, which is not an error.
    ///
    /// Returns the status once the server closes the response or `receive` stopped it; throws when
    /// the connection fails or drops before the server finished the response.
    @discardableResult
    public func stream(
        _ request: HTTPRequest, receive: (_ status: Int, _ chunk: UnsafeRawBufferPointer) -> Bool
    ) throws(HTTPClientError) -> Int {
        guard let handle = CurlEasyHandle() else {
            throw HTTPClientError(code: .other, url: request.url, message: "libcurl could not create an easy handle")
        }
        return try withoutActuallyEscaping(receive) { (receive) throws(HTTPClientError) -> Int in
            let sink = CurlStreamSink(handle: handle, receive: receive)
            try handle.prepare(CurlTransfer(request: request, maximumResponseBytes: Int.max))
            defer { handle.release() }
            // Replaces the transfer's own body callback, which would keep the whole body.
            try handle.check(handle.set(CURLOPT_WRITEFUNCTION, callback: curlStreamWriteBody))
            try handle.check(handle.set(CURLOPT_WRITEDATA, pointer: Unmanaged.passUnretained(sink).toOpaque()))
            let code = withExtendedLifetime(sink) { curl_easy_perform(handle.raw) }
            if !(sink.stopped && code == CURLE_WRITE_ERROR) { try handle.check(code) }
            return try handle.info(long: CURLINFO_RESPONSE_CODE)
        }
    }
}

/// What the body callback reaches through its context pointer.
private final class CurlStreamSink {
    let handle: CurlEasyHandle
    let receive: (Int, UnsafeRawBufferPointer) -> Bool
    var stopped = false

    init(handle: CurlEasyHandle, receive: @escaping (Int, UnsafeRawBufferPointer) -> Bool) {
        self.handle = handle
        self.receive = receive
    }

    func deliver(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let status = (try? handle.info(long: CURLINFO_RESPONSE_CODE)) ?? 0
        guard receive(status, bytes) else {
            stopped = true
            return false
        }
        return true
    }
}

/// CURLOPT_WRITEFUNCTION for streams: `context` is an unretained `CurlStreamSink`.
private func curlStreamWriteBody(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    let length = size * count
    guard let context else { return 0 }
    let sink = Unmanaged<CurlStreamSink>.fromOpaque(context).takeUnretainedValue()
    return sink.deliver(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}
