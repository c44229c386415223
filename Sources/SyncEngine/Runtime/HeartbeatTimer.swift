import Dispatch

/// A repeating timer on a queue of its own that calls `beat`, from now until ``cancel()``.
///
/// Dispatch sources may be cancelled from any thread, so the timer can be handed between threads.
final class HeartbeatTimer: @unchecked Sendable {
    private let timer: any DispatchSourceTimer

    /// Starts beating at once, then every `seconds` (at least 50 ms).
    init(every seconds: Double, beat: @escaping @Sendable () -> Void) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "tenantsync.worker.heartbeat"))
        timer.schedule(deadline: .now(), repeating: max(0.05, seconds))
        timer.setEventHandler(handler: beat)
        timer.resume()
    }

    func cancel() {
        timer.cancel()
    }
}
