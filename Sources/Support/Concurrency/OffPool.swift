import Foundation

/// Runs blocking work (a libcurl transfer, a libpq call, a file read) on a thread of its own and
/// returns its result, never blocking Swift's cooperative pool.
///
/// The pool has as many threads as cores: on a 2-core machine, two blocked calls stall every task in
/// the process, including the one that would let them finish (an in-process server answering the
/// very request that blocks). A fresh thread per call costs tens of microseconds, so use this for
/// occasional calls; work that runs all the time deserves a thread or queue that lives as long as it.
///
/// - Parameters:
///   - name: the thread's name, for debuggers and `top -H`, as far as Foundation applies it (on Linux at
///     most 15 bytes, and not always).
///   - body: runs on the new thread; what it throws is rethrown to the caller.
public func offPool<T: Sendable, Failure: Error>(
    name: String? = nil, _ body: @escaping @Sendable () throws(Failure) -> T
) async throws(Failure) -> T {
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, Failure>, Never>) in
        Thread {
            // Named from inside: on Linux a name set before start() is not applied.
            if let name { Thread.current.name = name }
            continuation.resume(returning: Result { () throws(Failure) -> T in try body() })
        }.start()
    }
    return try result.get()
}
