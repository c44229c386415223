import Postgres

/// Whether the leases are being renewed, for `GET /ready` and the causes shown in tenant status.
extension LeaseManager {
    /// Why renewals are failing, or `nil` while they succeed: a heartbeat that did not renew for
    /// two renewal intervals, with the last heartbeat's error.
    func renewalProblem(at now: ContinuousClock.Instant = .now) -> String? {
        let limit = Duration.milliseconds(Int(settings.renewInterval * 2000))
        guard let last = lastBeat.withLock({ $0 }) else { return "leases not renewing: no renewal yet" }
        let age = now - last
        guard age > limit else { return nil }
        let seconds = Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18
        let failure = heartbeatFailure.withLock { $0 }.map { ": \($0)" } ?? ""
        return "leases not renewing: last renewal \(String(format: "%.1f", seconds)) s ago\(failure)"
    }

    /// A failed heartbeat as a cause an operator reads: `database unreachable` when the connection
    /// could not be made or broke, the error otherwise (never a connection string).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PostgresError, error.isConnectionError { return "database unreachable" }
        return "lease heartbeat failed: \(error)"
    }
}
