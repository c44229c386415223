import Foundation

extension TenantWorkerController {
    /// A snapshot for status displays.
    func status() -> TenantStatus {
        var status = TenantStatus(
            id: tenant.id,
            connector: tenant.connector,
            enabled: tenant.enabled,
            state: TenantState(lifecycle.state),
            stateCause: lifecycle.cause,
            pid: session?.pid,
            restarts: lifecycle.restarts,
            streams: streams,
            uptimeSeconds: session == nil ? nil : lifecycle.startedAt.map { (ContinuousClock.now - $0).seconds },
            cpuPercent: session?.cpuPercent,
            rssBytes: session?.sample?.residentBytes,
            currentRunID: currentRunID,
            progress: session?.latestProgress,
            lastSync: lastSync,
            lastExit: lastExit?.description,
            lastError: lifecycle.lastError,
            badLines: badLines.count
        )
        environment.complete(&status, of: tenant, workerRunsHere: process != nil)
        return status
    }
}
