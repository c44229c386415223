/// A complete HTTP response of any status; only transport failures are ``HTTPClientError``s.
///
/// ``headers`` are the final response's (after redirects and `100 Continue`), in arrival order, with
/// folded lines joined. ``body`` is already decoded when the server used `Content-Encoding` gzip,
/// deflate, br or zstd.
public struct HTTPResponse: Sendable {
    /// The status code, such as 200 or 429.
    public var status: Int
    /// Response headers in arrival order; use ``header(_:)`` for a case-insensitive lookup.
    public var headers: [(name: String, value: String)]
    /// The decoded body.
    public var body: [UInt8]
    /// The URL that answered, after any redirects; `nil` when not known.
    public var effectiveURL: String?
    /// How many new connections the transfer opened: 0 when it reused a kept-alive one.
    public var newConnections: Int

    public init(
        status: Int,
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        effectiveURL: String? = nil,
        newConnections: Int = 0
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
        self.newConnections = newConnections
    }

    /// The value of header `name` (ASCII case-insensitive); the last one when the header repeats.
    public func header(_ name: String) -> String? {
        headers.last { Self.namesMatch($0.name, name) }?.value
    }

    /// Every value of header `name` (ASCII case-insensitive), in arrival order.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body decoded as UTF-8, with invalid bytes replaced.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    static func namesMatch(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8) { asciiLowercased($0) == asciiLowercased($1) }
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
