import Dispatch
import Foundation
import Synchronization

/// A fixed-size set of dedicated threads, each owning one ``PooledConnection``, that run queued jobs in order.
///
/// Threads start on demand, up to `maximumThreads`, and exit after ``shutdown()``.
/// They keep the pool alive until then, and never reference the ``PostgresClient``.
final class WorkerPool: Sendable {
    /// Work for a thread, or the way to tell its caller that it will never run.
    struct Job: Sendable {
        let run: @Sendable (PooledConnection) -> Void
        let cancel: @Sendable (PostgresError) -> Void
    }

    private struct State {
        var jobs: [Job] = []
        var nextJob = 0
        var threadCount = 0
        var busyCount = 0
        var isShutdown = false

        var pendingCount: Int { jobs.count - nextJob }

        mutating func takeJob() -> Job? {
            guard nextJob < jobs.count else {
                return nil
            }
            let job = jobs[nextJob]
            nextJob += 1
            // Compact now and then rather than paying for removeFirst on every job.
            if nextJob > 64, nextJob * 2 > jobs.count {
                jobs.removeFirst(nextJob)
                nextJob = 0
            }
            return job
        }
    }

    private let url: String
    private let maximumThreads: Int
    private let threadNamePrefix: String
    private let state = Mutex(State())
    /// Signalled once per queued job, and once per thread at shutdown.
    private let wakeups = DispatchSemaphore(value: 0)

    init(url: String, maximumThreads: Int, threadNamePrefix: String) {
        self.url = url
        self.maximumThreads = max(1, maximumThreads)
        self.threadNamePrefix = threadNamePrefix
    }

    /// Queues `job`, starting a thread when every running one is busy and the limit allows.
    func submit(_ job: Job) throws(PostgresError) {
        let startThread = try state.withLock { state throws(PostgresError) -> Int? in
            guard !state.isShutdown else {
                throw Self.shutdownError()
            }
            state.jobs.append(job)
            let idle = state.threadCount - state.busyCount
            guard state.pendingCount > idle, state.threadCount < maximumThreads else {
                return nil
            }
            state.threadCount += 1
            return state.threadCount
        }
        if let number = startThread {
            let name = "\(threadNamePrefix)\(number)"
            let thread = Thread { [self] in
                // Best effort, for debuggers and `top -H`: on Linux a name set before start() is not
                // applied, names over 15 bytes are rejected, and Foundation occasionally drops this one.
                Thread.current.name = name
                pthread_setspecific(Self.workerKey, Self.workerMarker)
                runWorker()
            }
            thread.name = name
            thread.start()
        }
        wakeups.signal()
    }

    /// Stops taking jobs, fails the queued ones and lets every thread close its connection and exit.
    ///
    /// Does not wait: a thread finishes the body it is running first.
    func shutdown() {
        let (cancelled, threads) = state.withLock { state -> ([Job], Int) in
            guard !state.isShutdown else {
                return ([], 0)
            }
            state.isShutdown = true
            let cancelled = Array(state.jobs[state.nextJob...])
            state.jobs = []
            state.nextJob = 0
            return (cancelled, state.threadCount)
        }
        for _ in 0..<threads {
            wakeups.signal()
        }
        for job in cancelled {
            job.cancel(Self.shutdownError())
        }
    }

    private func runWorker() {
        let connection = PooledConnection(url: url)
        defer {
            connection.close()
        }
        while true {
            wakeups.wait()
            let next = state.withLock { state -> Job?? in
                if let job = state.takeJob() {
                    state.busyCount += 1
                    return .some(job)
                }
                return state.isShutdown ? nil : .some(nil)
            }
            guard let next else {
                return
            }
            guard let job = next else {
                continue
            }
            job.run(connection)
            state.withLock { $0.busyCount -= 1 }
        }
    }

    /// Whether the calling thread is a pool thread; tests use it to check where bodies run.
    static var isWorkerThread: Bool {
        pthread_getspecific(workerKey) != nil
    }

    private static let workerKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()

    /// Any non-NULL value; only its presence is checked.
    private nonisolated(unsafe) static let workerMarker = UnsafeMutableRawPointer(bitPattern: 1)

    private static func shutdownError() -> PostgresError {
        PostgresError(code: .clientShutdown, message: "the PostgresClient has been shut down")
    }
}
