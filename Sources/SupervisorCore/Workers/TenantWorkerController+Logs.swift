import IPC
import Logging
import Support

extension TenantWorkerController {
    /// Where a worker's `log` records and stderr lines go, called on the threads that read its pipes.
    ///
    /// Both wait for the disk writer when it is far behind (see ``TenantLogStore``), which slows the
    /// reading of that worker's pipe only. `runID` is read for each stderr line, so a line written
    /// during a sync carries the run.
    static func logReaders(
        tenant: TenantConfiguration, logStore: TenantLogStore, logger: Logger, runID: LockedValue<String?>
    ) -> (logs: @Sendable (LogRecord, Int32) -> Void, stderr: @Sendable (String, Int32) -> Void) {
        (
            logs: { record, pid in
                logStore.append(tenant: tenant, pid: pid, record: record, waitForDisk: true)
                echo(record, logger: logger)
            },
            stderr: { line, pid in
                logger.info("\(line)", metadata: ["worker.pid": "\(pid)", "log.source": "stderr"])
                logStore.appendStderr(tenant: tenant, pid: pid, line: line, runID: runID.withLock { $0 }, waitForDisk: true)
            }
        )
    }

    /// Every record is in the tenant's log; the supervisor's own output repeats only warnings and
    /// errors, so a chatty tenant cannot drown it (or slow it down).
    static func echo(_ record: LogRecord, logger: Logger) {
        let level = Logger.Level(rawValue: record.level) ?? .info
        guard level >= .warning else { return }
        var metadata: Logger.Metadata = record.fields.mapValues { .string($0) }
        if let runID = record.runID { metadata["sync.run_id"] = "\(runID)" }
        if let stream = record.stream { metadata["sync.stream"] = "\(stream)" }
        logger.log(level: level, "\(record.message)", metadata: metadata)
    }
}

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
