/// Counts arrivals and lets tasks wait until a number of them have happened.
actor Arrivals {
    private var count = 0
    private var waiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []

    func arrive() {
        count += 1
        let ready = waiters.filter { $0.target <= count }
        waiters.removeAll { $0.target <= count }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Waits until `more` arrivals after this call, or `total` in all, whichever comes first.
    func wait(forMore more: Int, atMost total: Int) async {
        await wait(until: min(count + more, total))
    }

    func wait(until target: Int) async {
        if count >= target { return }
        await withCheckedContinuation { waiters.append((target, $0)) }
    }
}
