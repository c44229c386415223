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
        status.waitingFor = environment.slots?.waitReason(of: tenant.id)?.description
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
}
