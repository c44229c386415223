import Foundation

/// A task executor with threads of its own, for running the server inside a test.
///
/// Tests sometimes call blocking clients (libcurl, libpq) straight from an async test body. On a
/// 2-core machine two such tests occupy the whole cooperative pool, and a server whose handlers
/// also need that pool would never answer them. Tasks that prefer this executor, and their child
/// tasks, run on these threads instead, so the demo upstream keeps serving whatever the caller blocks.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    // `condition` guards `queue`, `head` and `stopping`: that is what makes the class Sendable.
    private let condition = NSCondition()
    private var queue: [UnownedJob] = []
    private var head = 0
    private var stopping = false

    /// Starts `threads` threads named after `name`.
    init(threads: Int, name: String) {
        for index in 0..<max(threads, 1) {
            let thread = Thread { [self] in self.work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.condition.lock()
        if self.stopping {
            // Nothing should arrive after shutdown; if something does, still run it.
            self.condition.unlock()
            Thread { job.runSynchronously(on: self.asUnownedTaskExecutor()) }.start()
            return
        }
        self.queue.append(job)
        self.condition.signal()
        self.condition.unlock()
    }

    /// Lets the threads finish the queued jobs and exit.
    func shutdown() {
        self.condition.lock()
        self.stopping = true
        self.condition.broadcast()
        self.condition.unlock()
    }

    private func work() {
        while let job = self.next() {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }

    private func next() -> UnownedJob? {
        self.condition.lock()
        defer { self.condition.unlock() }
        while self.head == self.queue.count {
            if self.stopping { return nil }
            self.condition.wait()
        }
        let job = self.queue[self.head]
        self.head += 1
        if self.head >= 1_024, self.head * 2 >= self.queue.count {
            self.queue.removeFirst(self.head)
            self.head = 0
        }
        return job
    }
}
