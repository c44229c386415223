import Synchronization

/// A thread-safe flag a run checks between batches to stop early, with the reason it was raised.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    private let why = Mutex<String?>(nil)

    public init() {}

    public var isCancelled: Bool { flag.load(ordering: .acquiring) }

    /// Why the flag was raised first; `nil` while it is not.
    public var reason: String? { why.withLock { $0 } }

    /// Raises the flag; the first reason given is kept.
    public func cancel(reason: String = "worker shutting down") {
        why.withLock { if $0 == nil { $0 = reason } }
        flag.store(true, ordering: .releasing)
    }
}
