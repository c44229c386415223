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
            pid: process?.pid,
            restarts: lifecycle.restarts,
            streams: streams,
            uptimeSeconds: process == nil ? nil : lifecycle.startedAt.map { Self.seconds(ContinuousClock.now - $0) },
            cpuPercent: process == nil ? nil : cpuPercent,
            rssBytes: process == nil ? nil : sample?.residentBytes,
            currentRunID: currentRunID,
            progress: latestProgress,
            lastSync: lastSync,
            lastExit: lastExit?.description,
            lastError: lifecycle.lastError,
            badLines: badLines
        )
        if let leases = environment.leases {
            status.owner = leases.owner(of: tenant.id)
            if tenant.enabled, !leases.holds(tenant.id), process == nil, status.owner != nil {
                status.state = .remote
                status.stateCause = "held by supervisor \(status.owner ?? "")"
            }
        }
        let schedules = environment.schedules
        status.schedule = schedules.schedule(of: tenant.id)
        if let stored = schedules.state(of: tenant.id) {
            status.schedulePaused = stored.paused
            if status.schedule != nil, !stored.paused { status.nextSyncAt = stored.nextFireAt?.formatted(.iso8601) }
        }
        if let counters = logStore.counters()[tenant.id] {
            status.droppedLogLines = counters.droppedByFollowers + counters.droppedFromFiles
        }
        return status
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
