/// Why a line from the other process could not be turned into a message.
public struct IPCError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The line is not valid JSON, or lacks required fields.
        public static let malformed = Code(rawValue: "malformed")
        /// The line's `type` names no known message.
        public static let unknownType = Code(rawValue: "unknown_type")
        /// The line is longer than the framing cap.
        public static let oversized = Code(rawValue: "oversized")
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
