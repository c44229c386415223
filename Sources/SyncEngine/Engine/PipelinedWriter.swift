import Dispatch
import Synchronization

/// Runs write jobs on a thread of their own, one at a time and in order, so the caller can fetch and
/// parse the next batch while PostgreSQL works on the current one.
///
/// At most one job runs and none waits: ``submit(_:)`` returns once the previous job has finished,
/// so the caller is never more than one batch ahead of the database. The first job that throws
/// stops the pipeline: later submissions are dropped and its error is thrown from the next
/// ``submit(_:)`` or from ``finish()``. Whatever a job touches (the database connection, counters)
/// belongs to the writer from submission until ``finish()`` returns; the caller leaves it alone.
final class PipelinedWriter: @unchecked Sendable {
    /// One job, handed to the writer's thread with everything it captured.
    private struct Job: @unchecked Sendable {
        let run: () throws(SyncError) -> Void
    }

    private let queue = DispatchQueue(label: "tenantsync.worker.writer")
    private let idle = DispatchSemaphore(value: 1)
    private let failure = Mutex<SyncError?>(nil)

    init() {}

    /// Waits for the job before this one, then starts `job`; throws the error of an earlier job instead.
    func submit(_ job: @escaping () throws(SyncError) -> Void) throws(SyncError) {
        idle.wait()
        if let error = failure.withLock({ $0 }) {
            idle.signal()
            throw error
        }
        let handed = Job(run: job)
        queue.async { [self] in
            defer { idle.signal() }
            do throws(SyncError) {
                try handed.run()
            } catch {
                failure.withLock { $0 = error }
            }
        }
    }

    /// Waits for the last job; throws the first error any job threw.
    func finish() throws(SyncError) {
        waitUntilIdle()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Waits for the last job without looking at errors, for a caller that is already failing.
    func waitUntilIdle() {
        idle.wait()
        idle.signal()
    }

    /// The error that stopped the pipeline, if one has.
    var error: SyncError? { failure.withLock { $0 } }
}
