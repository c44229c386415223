import CCurl

/// Owns one libcurl easy handle, its error buffer and the ``CurlTransfer`` the handle currently points at.
///
/// Reused across requests: ``prepare(_:)`` resets the options with `curl_easy_reset`, which keeps live
/// connections and the DNS and TLS session caches, so requests to the same host reuse a connection.
/// The transfer (header list, body copy, callback context) is dropped only after a reset, so libcurl
/// never holds a pointer into freed memory. Not thread-safe.
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let errorBufferSize: Int
    private(set) var transfer: CurlTransfer?

    /// Creates an easy handle; `nil` when libcurl cannot (global init failed or out of memory).
    init?() {
        guard CurlGlobal.initialize() == CURLE_OK, let raw = curl_easy_init() else { return nil }
        self.raw = raw
        errorBufferSize = tenantsync_curl_error_size() + 1
        errorBuffer = .allocate(capacity: errorBufferSize)
        errorBuffer.initialize(repeating: 0, count: errorBufferSize)
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
        // `transfer` is released after this, once nothing points at it.
    }

    /// Resets every option and configures the handle for `transfer`.
    func prepare(_ transfer: CurlTransfer) throws(HTTPClientError) {
        curl_easy_reset(raw)
        self.transfer = transfer
        errorBuffer[0] = 0
        try check(set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer)))
        try transfer.configure(self)
    }

    /// Resets the options and drops the finished transfer, keeping the connection cache.
    func release() {
        curl_easy_reset(raw)
        transfer = nil
    }

    /// The response, or the error, for a transfer that libcurl finished with `code`.
    func complete(_ code: CURLcode) -> Result<HTTPResponse, HTTPClientError> {
        Result { () throws(HTTPClientError) -> HTTPResponse in
            try check(code)
            guard let transfer else { throw HTTPClientError(code: .other, url: "", message: "no transfer") }
            return try transfer.makeResponse(self)
        }
    }

    /// Turns a libcurl return code into an ``HTTPClientError``: the one place `CURLcode`s are checked.
    ///
    /// Copies the error buffer at once, since the next call may overwrite it.
    func check(_ code: CURLcode) throws(HTTPClientError) {
        guard code != CURLE_OK else { return }
        let url = transfer?.request.url ?? ""
        if let transfer, code == CURLE_FILESIZE_EXCEEDED || (code == CURLE_WRITE_ERROR && transfer.exceededLimit) {
            throw HTTPClientError(
                code: .tooLarge, curlCode: Int32(bitPattern: code.rawValue), url: url,
                message: "response body exceeds the limit of \(transfer.maximumResponseBytes) bytes"
            )
        }
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        throw HTTPClientError(
            code: Self.classify(code), curlCode: Int32(bitPattern: code.rawValue), url: url,
            message: message.trimmingHTTPWhitespace().split(separator: "\n").joined(separator: " ")
        )
    }

    static func classify(_ code: CURLcode) -> HTTPClientError.Code {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .couldNotConnect
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR: .connectionReset
        case CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE: .incompleteResponse
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: .invalidURL
        case CURLE_FILESIZE_EXCEEDED: .tooLarge
        default: .other
        }
    }
}

// MARK: - Typed setopt and getinfo

extension CurlEasyHandle {
    func set(_ option: CURLoption, _ value: Int) -> CURLcode {
        tenantsync_curl_setopt_long(raw, option, value)
    }

    func set(_ option: CURLoption, offset value: Int64) -> CURLcode {
        tenantsync_curl_setopt_off_t(raw, option, curl_off_t(value))
    }

    /// For options libcurl copies (all string options except `CURLOPT_POSTFIELDS`).
    func set(_ option: CURLoption, _ value: String) -> CURLcode {
        tenantsync_curl_setopt_string(raw, option, value)
    }

    /// The caller keeps `value` alive as long as the handle may use it.
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) -> CURLcode {
        tenantsync_curl_setopt_pointer(raw, option, value)
    }

    /// The caller keeps `list` alive as long as the handle may use it.
    func set(_ option: CURLoption, list: UnsafeMutablePointer<curl_slist>?) -> CURLcode {
        tenantsync_curl_setopt_slist(raw, option, list)
    }

    func set(_ option: CURLoption, callback: curl_write_callback) -> CURLcode {
        tenantsync_curl_setopt_write_callback(raw, option, callback)
    }

    func info(long option: CURLINFO) throws(HTTPClientError) -> Int {
        var value = 0
        try check(tenantsync_curl_getinfo_long(raw, option, &value))
        return value
    }

    /// Copies the string at once: libcurl owns it only until the next request.
    func info(string option: CURLINFO) throws(HTTPClientError) -> String? {
        var value: UnsafePointer<CChar>?
        try check(tenantsync_curl_getinfo_string(raw, option, &value))
        return value.map { String(cString: $0) }
    }
}
