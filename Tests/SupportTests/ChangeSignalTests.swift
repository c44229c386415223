import Support
import Testing

/// Waiting for a change, with and without a deadline, from an actor as the worker controller does.
@Suite("ChangeSignal: wake-ups for waiters of an actor's state")
struct ChangeSignalTests {
    /// A counter whose readers wait for it to reach a value.
    actor Counter {
        let changes = ChangeSignal()
        private(set) var value = 0

        func increment() {
            value += 1
            changes.wakeAll()
        }

        /// Waits until the counter reaches `target` or `deadline`; returns what it reached.
        func wait(for target: Int, until deadline: ContinuousClock.Instant) async -> Int {
            while value < target, ContinuousClock.now < deadline {
                await changes.wait(until: deadline)
            }
            return value
        }
    }

    @Test("every change reaches a waiter registered from the actor, long before the deadline")
    func changesWakeWaiters() async {
        let counter = Counter()
        let start = ContinuousClock.now
        async let reached = counter.wait(for: 200, until: start + .seconds(60))
        for _ in 0..<200 { await counter.increment() }
        #expect(await reached == 200)
        #expect(ContinuousClock.now - start < .seconds(30), "a wake-up was missed and the wait ran to its deadline")
    }

    @Test("a wait without a change ends at its deadline")
    func deadlineEndsTheWait() async {
        let signal = ChangeSignal()
        let deadline = ContinuousClock.now + .milliseconds(200)
        await signal.wait(until: deadline)
        #expect(ContinuousClock.now >= deadline)
    }
}
