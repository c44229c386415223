/// HTTP Basic credentials, sent through libcurl's auth options so that the URL never holds them.
///
/// `description`, `debugDescription` and `dump` show the user but never the password.
public struct BasicAuth: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The user name (for WooCommerce-style APIs, the consumer key).
    public var user: String
    /// The password (for WooCommerce-style APIs, the consumer secret).
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    public var description: String { "BasicAuth(user: \(user), password: <redacted>)" }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["user": user, "password": "<redacted>"])
    }
}
