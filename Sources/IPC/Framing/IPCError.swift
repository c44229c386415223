/// Why a line from the other process could not be turned into a message.
public struct IPCError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A stable, machine-readable reason: a closed set, so no one invents a code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String {
            case malformed
            case unknownType = "unknown_type"
            case oversized
        }

        private let value: Value

        /// The line is not valid JSON, or lacks required fields.
        public static let malformed = Code(value: .malformed)
        /// The line's `type` names no known message.
        public static let unknownType = Code(value: .unknownType)
        /// The line is longer than the framing cap.
        public static let oversized = Code(value: .oversized)

        /// The code's name, as logs and counters show it.
        public var description: String { value.rawValue }
    }

    public var code: Code
    /// What went wrong, with a short excerpt of the offending line.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "IPC \(code): \(message)" }
}
