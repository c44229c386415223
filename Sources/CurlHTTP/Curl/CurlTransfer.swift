import CCurl

/// One request's state while libcurl runs it: the options libcurl points into, and the response as it arrives.
///
/// libcurl's callbacks reach it through an unretained `Unmanaged` pointer; the ``CurlEasyHandle`` it is
/// attached to keeps it alive until the handle has been reset, so the header list and the body copy
/// outlive every use libcurl makes of them.
final class CurlTransfer {
    static let userAgent = "tenantsync/0.1"

    let request: HTTPRequest
    let maximumResponseBytes: Int
    /// Set when the response outgrew ``maximumResponseBytes`` and a callback aborted the transfer.
    private(set) var exceededLimit = false

    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var bodyCopy: UnsafeMutableRawBufferPointer?
    private var responseHeaders: [(name: String, value: String)] = []
    private var responseHeaderBytes = 0
    private var responseBody: [UInt8] = []

    init(request: HTTPRequest, maximumResponseBytes: Int) {
        self.request = request
        self.maximumResponseBytes = maximumResponseBytes
    }

    deinit {
        curl_slist_free_all(headerList)
        bodyCopy?.deallocate()
    }

    /// Sets every option for ``request`` on `handle`, which has just been reset.
    func configure(_ handle: CurlEasyHandle) throws(HTTPClientError) {
        try validate()
        try handle.check(handle.set(CURLOPT_URL, request.url))
        try handle.check(handle.set(CURLOPT_PROTOCOLS_STR, "http,https"))
        try handle.check(handle.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        try handle.check(handle.set(CURLOPT_NOSIGNAL, 1))
        try handle.check(handle.set(CURLOPT_ACCEPT_ENCODING, ""))
        try handle.check(handle.set(CURLOPT_TCP_KEEPALIVE, 1))
        try handle.check(handle.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1)))
        try handle.check(handle.set(CURLOPT_USERAGENT, Self.userAgent))
        try handle.check(handle.set(CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.curlMilliseconds))
        try handle.check(handle.set(CURLOPT_TIMEOUT_MS, request.timeout.curlMilliseconds))
        try handle.check(handle.set(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0))
        if request.followRedirects {
            try handle.check(handle.set(CURLOPT_MAXREDIRS, request.maximumRedirects))
        }
        if let auth = request.basicAuth {
            try handle.check(handle.set(CURLOPT_HTTPAUTH, tenantsync_curlauth_basic()))
            try handle.check(handle.set(CURLOPT_USERNAME, auth.user))
            try handle.check(handle.set(CURLOPT_PASSWORD, auth.password))
        }
        try configureHeaders(handle)
        try configureMethodAndBody(handle)
        // Rejects early when Content-Length is known; the write callback enforces the decoded size.
        try handle.check(handle.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(maximumResponseBytes)))

        let context = Unmanaged.passUnretained(self).toOpaque()
        try handle.check(handle.set(CURLOPT_WRITEFUNCTION, callback: curlTransferWriteBody))
        try handle.check(handle.set(CURLOPT_WRITEDATA, pointer: context))
        try handle.check(handle.set(CURLOPT_HEADERFUNCTION, callback: curlTransferWriteHeader))
        try handle.check(handle.set(CURLOPT_HEADERDATA, pointer: context))
    }

    /// The finished response; call only after libcurl reported success.
    func makeResponse(_ handle: CurlEasyHandle) throws(HTTPClientError) -> HTTPResponse {
        HTTPResponse(
            status: try handle.info(long: CURLINFO_RESPONSE_CODE),
            headers: responseHeaders,
            body: responseBody,
            effectiveURL: try handle.info(string: CURLINFO_EFFECTIVE_URL),
            newConnections: try handle.info(long: CURLINFO_NUM_CONNECTS)
        )
    }

    // MARK: - Callbacks

    /// Appends body bytes; `false` aborts the transfer because the body outgrew the limit.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count <= maximumResponseBytes - responseBody.count else {
            exceededLimit = true
            return false
        }
        responseBody.append(contentsOf: bytes)
        return true
    }

    /// Records one header line; a status line starts a new header set, so only the final response's headers remain.
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Bool {
        responseHeaderBytes += bytes.count
        guard responseHeaderBytes <= maximumResponseBytes else {
            exceededLimit = true
            return false
        }
        var line = bytes[...]
        while let last = line.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
            line = line.dropLast()
        }
        guard let first = line.first else { return true }
        if line.starts(with: "HTTP/".utf8) {
            responseHeaders.removeAll(keepingCapacity: true)
        } else if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            // Obsolete line folding: the line continues the previous header's value.
            if !responseHeaders.isEmpty {
                let continuation = String(decoding: line, as: UTF8.self).trimmingHTTPWhitespace()
                responseHeaders[responseHeaders.count - 1].value += " " + continuation
            }
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: line[..<colon], as: UTF8.self).trimmingHTTPWhitespace()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingHTTPWhitespace()
            responseHeaders.append((name: name, value: value))
        }
        return true
    }

    // MARK: - Options

    private func configureHeaders(_ handle: CurlEasyHandle) throws(HTTPClientError) {
        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        // libcurl would otherwise send `Expect: 100-continue` for large bodies and wait for an answer.
        if !request.headers.contains(where: { HTTPResponse.namesMatch($0.name, "Expect") }) {
            lines.append("Expect:")
        }
        for line in lines {
            guard let list = curl_slist_append(headerList, line) else {
                throw HTTPClientError(code: .other, url: request.url, message: "curl_slist_append failed: out of memory")
            }
            headerList = list
        }
        try handle.check(handle.set(CURLOPT_HTTPHEADER, list: headerList))
    }

    private func configureMethodAndBody(_ handle: CurlEasyHandle) throws(HTTPClientError) {
        let method = request.method
        // A POST without a body still sends an empty one: POST without POSTFIELDS would read stdin.
        guard let body = request.body ?? (method == "POST" ? [] : nil) else {
            switch method {
            case "GET": try handle.check(handle.set(CURLOPT_HTTPGET, 1))
            case "HEAD": try handle.check(handle.set(CURLOPT_NOBODY, 1))
            default: try handle.check(handle.set(CURLOPT_CUSTOMREQUEST, method))
            }
            return
        }
        // CURLOPT_POSTFIELDS is not copied, so the bytes live in this transfer until the handle is reset.
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, body.count), alignment: 1)
        bodyCopy = copy
        copy.copyBytes(from: body)
        try handle.check(handle.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count)))
        try handle.check(handle.set(CURLOPT_POSTFIELDS, pointer: copy.baseAddress))
        if method != "POST" {
            try handle.check(handle.set(CURLOPT_CUSTOMREQUEST, method))
        }
    }

    /// Rejects what libcurl would send verbatim: a method or header that could inject lines into the request.
    private func validate() throws(HTTPClientError) {
        guard Self.isToken(request.method) else {
            throw HTTPClientError(code: .invalidRequest, url: request.url, message: "invalid HTTP method")
        }
        for header in request.headers {
            guard Self.isToken(header.name) else {
                throw HTTPClientError(code: .invalidRequest, url: request.url, message: "invalid header name")
            }
            guard !header.value.utf8.contains(where: { $0 == 0 || $0 == 10 || $0 == 13 }) else {
                throw HTTPClientError(
                    code: .invalidRequest, url: request.url,
                    message: "header \(header.name) has a line break or NUL in its value"
                )
            }
        }
    }

    /// Whether `text` is an RFC 9110 token (methods and header names).
    private static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
