import Foundation
import Synchronization

/// One long-lived thread that spawns every worker.
///
/// Linux delivers a child's parent-death signal when the *thread* that forked it exits, not
/// the process. Spawning from Swift's cooperative pool, whose idle threads come and go, would
/// kill healthy workers; spawning from this thread, which lives as long as the process, does not.
final class SpawnerThread: Sendable {
    /// The process-wide spawner.
    static let shared = SpawnerThread()

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let available = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in
            while true {
                available.wait()
                let job = jobs.withLock { $0.removeFirst() }
                job()
            }
        }
        thread.name = "tenantsync-spawner"
        thread.start()
    }

    /// Runs `body` on the spawner thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            jobs.withLock {
                $0.append {
                    continuation.resume(with: Result { try body() })
                }
            }
            available.signal()
        }
    }
}
