import Logging

/// Bad protocol lines, throttled by ``BadLineThrottle``.
extension TenantWorkerController {
    /// Writes one throttled bad-line report to the tenant's log and the supervisor's.
    func logBadLine(_ line: String, pid: Int32?) {
        logger.error("\(line)", metadata: pid.map { ["worker.pid": "\($0)"] } ?? [:])
        environment.logStore.supervisorEvent(tenant: tenant, pid: pid, level: "error", message: line)
    }

    /// Reports the bad lines the throttle held back, once their second is over.
    func flushBadLines(at now: ContinuousClock.Instant) {
        if let line = badLineThrottle.flush(at: now) { logBadLine(line, pid: process?.pid) }
    }
}
