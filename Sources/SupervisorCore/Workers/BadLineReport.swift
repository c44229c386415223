import Logging

/// The bad protocol lines of one tenant's workers: every one counted (`bad_lines` in the status),
/// and reported to the tenant's log and the supervisor's through a ``BadLineThrottle``.
struct BadLineReport: Sendable {
    let tenant: TenantConfiguration
    let logger: Logger
    let logStore: TenantLogStore
    /// Bad lines in all, across the tenant's workers.
    private(set) var count = 0
    private var throttle = BadLineThrottle()

    init(tenant: TenantConfiguration, logger: Logger, logStore: TenantLogStore) {
        self.tenant = tenant
        self.logger = logger
        self.logStore = logStore
    }

    /// Counts a bad line from worker `pid` and reports it unless the throttle holds it back.
    mutating func record(_ reason: String, pid: Int32, at now: ContinuousClock.Instant) {
        count += 1
        if let line = throttle.record(reason, at: now) { write(line, pid: pid) }
    }

    /// Reports the bad lines the throttle held back, once their second is over.
    mutating func flush(pid: Int32?, at now: ContinuousClock.Instant) {
        if let line = throttle.flush(at: now) { write(line, pid: pid) }
    }

    private func write(_ line: String, pid: Int32?) {
        logger.error("\(line)", metadata: pid.map { ["worker.pid": "\($0)"] } ?? [:])
        logStore.supervisorEvent(tenant: tenant, pid: pid, level: "error", message: line)
    }
}
