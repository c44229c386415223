import Foundation

/// Waits for a condition observed from outside (a row, a process state) with a deadline.
///
/// Used where the event has no notification to await, such as a process leaving the process
/// table; the condition is re-checked every few milliseconds and the wait fails at the deadline.
public func eventually<T>(
    timeout: Duration = .seconds(30),
    _ what: @autoclosure () -> String,
    _ probe: () async throws -> T?
) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    var lastError: (any Error)?
    while ContinuousClock.now < deadline {
        do {
            if let value = try await probe() { return value }
        } catch {
            lastError = error
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TestSupportError("timed out after \(timeout) waiting for \(what())\(lastError.map { ": last error \($0)" } ?? "")")
}

/// Whether a process with `pid` is alive: it exists and is not a zombie awaiting its reaper.
public func processExists(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 || errno == EPERM else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
    return state != "Z" && state != "X"
}
