/// A notification that could not reach the service manager.
public struct SystemdNotifyError: Error, CustomStringConvertible, Sendable {
    /// What failed: a closed set.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case invalidAddress, socketFailed, sendFailed }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// `NOTIFY_SOCKET` is neither an absolute path nor an abstract name (`@…`), or is too long.
        public static let invalidAddress = Code(.invalidAddress)
        /// `socket(2)` failed.
        public static let socketFailed = Code(.socketFailed)
        /// `sendto(2)` failed: nobody listens, or the queue is full.
        public static let sendFailed = Code(.sendFailed)

        public var description: String { value.rawValue }
    }

    public var code: Code
    /// `errno` of the failed call, when one failed.
    public var errno: Int32?
    public var message: String

    init(_ code: Code, errno: Int32? = nil, _ message: String) {
        self.code = code
        self.errno = errno
        self.message = message
    }

    public var description: String {
        "\(code): \(message)" + (errno.map { " (errno \($0))" } ?? "")
    }
}
