/// A schedule, interval or cron expression that cannot be used, with a message fit for an operator.
public struct ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
