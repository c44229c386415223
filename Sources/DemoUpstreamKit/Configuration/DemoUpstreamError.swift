/// Why the demo upstream could not be configured or started.
///
/// Errors that reach HTTP clients are a different thing: see `DemoHTTPError`.
public struct DemoUpstreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, independent of the offending value.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        /// The host is not a loopback address; the demo never listens on a real network.
        public static let nonLoopbackHost = Code(name: "nonLoopbackHost")
        /// A site name is empty, too long, or has characters other than `a-z`, `0-9`, `-` and `_`.
        public static let invalidSiteName = Code(name: "invalidSiteName")
        /// Two sites share a name.
        public static let duplicateSiteName = Code(name: "duplicateSiteName")
        /// A count, port or lifetime is out of range.
        public static let invalidValue = Code(name: "invalidValue")
        /// A change names a record the site does not have.
        public static let unknownRecord = Code(name: "unknownRecord")
        /// The server stopped before it started listening.
        public static let serverDidNotStart = Code(name: "serverDidNotStart")

        public var description: String { self.name }
    }

    /// What went wrong.
    public var code: Code
    /// The offending value or setting, never a credential.
    public var context: String

    public init(code: Code, context: String) {
        self.code = code
        self.context = context
    }

    public var description: String { "DemoUpstreamError(\(self.code)): \(self.context)" }
}
