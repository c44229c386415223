/// Limits how many tasks do something at once; waiters are served first in, first out.
public actor AsyncSemaphore {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(value: Int) {
        available = value
    }

    public func wait() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    public func signal() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` while holding one permit.
    public func withPermit<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        await wait()
        let result = await body()
        signal()
        return result
    }
}
