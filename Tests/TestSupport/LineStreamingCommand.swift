import Foundation

/// A child process started by a test whose standard output arrives line by line, as it is written,
/// in ``lines``, and whose exit status (negated signal number if a signal ended it) arrives in ``exits``.
public final class LineStreamingCommand: @unchecked Sendable {
    public let process = Process()
    public let lines = AsyncInbox<String>()
    public let exits = AsyncInbox<Int32>()

    /// Starts `executable` with `arguments`; its standard error goes to `standardError`.
    public init(executable: String, arguments: [String], standardError: Any = FileHandle.nullDevice) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = standardError
        process.terminationHandler = { [exits] in exits.push($0.terminationReason == .exit ? $0.terminationStatus : -$0.terminationStatus) }
        let reader = Thread { [lines] in
            var pending = Data()
            while true {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                pending.append(data)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    lines.push(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending = Data(pending[(newline + 1)...])
                }
            }
            lines.finish()
        }
        try process.run()
        reader.start()
    }

    /// Sends SIGTERM if the process still runs.
    public func terminate() {
        if process.isRunning { process.terminate() }
    }
}
