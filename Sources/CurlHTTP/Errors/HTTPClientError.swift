/// A request that produced no complete HTTP response: timeout, refused connection, reset, bad URL, oversize body.
///
/// An HTTP error status (404, 429, 500) is not an `HTTPClientError`; it arrives as an ``HTTPResponse``.
/// ``url`` never holds credentials: it is redacted on every assignment (see ``URLRedactor``), so the error
/// can be logged as is. ``isRetryable`` tells whether sending the same request again may succeed.
public struct HTTPClientError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure; compare with the static members, which may grow over time.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case timeout, couldNotConnect, connectionReset, incompleteResponse
            case invalidURL, invalidRequest, tooLarge, other
        }

        private let kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// The connect or total timeout of the request elapsed.
        public static let timeout = Code(.timeout)
        /// The host could not be resolved or refused the connection.
        public static let couldNotConnect = Code(.couldNotConnect)
        /// The connection failed while sending or receiving.
        public static let connectionReset = Code(.connectionReset)
        /// The server closed the connection with an empty or truncated reply.
        public static let incompleteResponse = Code(.incompleteResponse)
        /// The URL is malformed or uses a scheme other than http or https.
        public static let invalidURL = Code(.invalidURL)
        /// The request itself is invalid (a header or method with control characters); nothing was sent.
        public static let invalidRequest = Code(.invalidRequest)
        /// The response body exceeded the client's `maximumResponseBytes`.
        public static let tooLarge = Code(.tooLarge)
        /// Any other libcurl failure; see ``HTTPClientError/curlCode``.
        public static let other = Code(.other)

        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// The libcurl `CURLcode` (or `CURLMcode` for multi-handle failures), or 0 when libcurl was not involved.
    public var curlCode: Int32
    /// What went wrong, copied from libcurl's error buffer or its `curl_easy_strerror` text.
    public var message: String

    private var redactedURL: String

    /// The request's URL without user info and with secret-looking query values replaced.
    public var url: String {
        get { redactedURL }
        set { redactedURL = URLRedactor.redact(newValue) }
    }

    /// Creates an error; `url` is redacted before it is stored.
    public init(code: Code, curlCode: Int32 = 0, url: String, message: String) {
        self.code = code
        self.curlCode = curlCode
        self.message = message
        self.redactedURL = URLRedactor.redact(url)
    }

    /// Whether the same request may succeed when sent again: timeouts, connect failures, resets, empty or partial replies.
    public var isRetryable: Bool {
        switch code {
        case .timeout, .couldNotConnect, .connectionReset, .incompleteResponse: true
        default: false
        }
    }

    public var description: String {
        "HTTPClientError(\(code), curl \(curlCode)): \(message) [\(url)]"
    }
}
