import Support

/// A sync that lost its database is retried once the database answers, not into the same outage.
extension TenantWorkerController {
    /// Waits, with backoff from 100 ms to 2 s between looks, until the database answers, the
    /// deadline passes or the supervisor shuts down; returns at once without a way to look.
    func waitForDatabase(until deadline: ContinuousClock.Instant) async {
        guard let reachable = environment.databaseReachable else { return }
        var backoff = ExponentialBackoff(initial: .milliseconds(100), maximum: .seconds(2))
        while !shuttingDown {
            if await reachable() { return }
            let left = deadline - .now
            guard left > .zero else { return }
            try? await Task.sleep(for: min(backoff.next(), left))
        }
    }
}
