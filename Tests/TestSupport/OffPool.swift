import Foundation

/// Runs blocking work (libcurl, libpq) on a thread of its own, never on Swift's cooperative pool.
///
/// On a 2-core machine the pool has two threads; a test blocking one of them in libcurl while the
/// in-process server needs the pool to answer is a deadlock waiting to happen.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}
