import CCurl

/// Owns one libcurl multi handle; the easy handles added to it share its connection cache.
///
/// Every easy handle must be removed before this is freed. Not thread-safe.
final class CurlMultiHandle {
    let raw: UnsafeMutableRawPointer

    /// Creates a multi handle; `nil` when libcurl cannot.
    init?(maximumConnections: Int) {
        guard CurlGlobal.initialize() == CURLE_OK, let raw = curl_multi_init() else { return nil }
        self.raw = raw
        // Best effort: a cap on open connections is an optimisation; the fetcher bounds concurrency itself.
        _ = tenantsync_curl_multi_setopt_long(raw, CURLMOPT_MAX_TOTAL_CONNECTIONS, maximumConnections)
    }

    deinit {
        curl_multi_cleanup(raw)
    }

    func add(_ easy: CurlEasyHandle) throws(HTTPClientError) {
        try check(curl_multi_add_handle(raw, easy.raw), url: easy.transfer?.request.url ?? "")
    }

    func remove(_ easy: CurlEasyHandle) {
        // Fails only for a handle that is not in this multi handle, which the fetcher's bookkeeping rules out.
        _ = curl_multi_remove_handle(raw, easy.raw)
    }

    /// Drives every added transfer as far as it can go without blocking; returns how many still run.
    func perform() throws(HTTPClientError) -> Int {
        var running: Int32 = 0
        try check(curl_multi_perform(raw, &running), url: "")
        return Int(running)
    }

    /// Blocks until a transfer has something to do or `timeoutMilliseconds` pass.
    func poll(timeoutMilliseconds: Int32) throws(HTTPClientError) {
        try check(curl_multi_poll(raw, nil, 0, timeoutMilliseconds, nil), url: "")
    }

    /// The next finished transfer's easy handle pointer and result, if any.
    func nextCompleted() -> (easy: UnsafeMutableRawPointer, result: CURLcode)? {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(raw, &queued) {
            if message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle {
                return (easy, tenantsync_curlmsg_result(message))
            }
        }
        return nil
    }

    /// Turns a `CURLMcode` into an ``HTTPClientError``: the one place multi return codes are checked.
    func check(_ code: CURLMcode, url: String) throws(HTTPClientError) {
        guard code != CURLM_OK else { return }
        throw HTTPClientError(
            code: .other, curlCode: code.rawValue, url: url,
            message: "curl multi: " + String(cString: curl_multi_strerror(code))
        )
    }
}
