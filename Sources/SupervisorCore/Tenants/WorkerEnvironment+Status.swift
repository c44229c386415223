import Foundation

extension WorkerEnvironment {
    /// Adds to a worker's status what the supervisor knows of its tenant beyond the worker: who holds
    /// its lease (`remote` when another supervisor runs it), its schedule and next fire, the log lines
    /// dropped, and why a sync of it waits for a slot.
    func complete(_ status: inout TenantStatus, of tenant: TenantConfiguration, workerRunsHere: Bool) {
        if let leases {
            status.owner = leases.owner(of: tenant.id)
            if tenant.enabled, !leases.holds(tenant.id), !workerRunsHere, status.owner != nil {
                status.state = .remote
                status.stateCause = "held by supervisor \(status.owner ?? "")"
            }
        }
        status.schedule = schedules.schedule(of: tenant.id)
        if let stored = schedules.state(of: tenant.id) {
            status.schedulePaused = stored.paused
            if status.schedule != nil, !stored.paused { status.nextSyncAt = stored.nextFireAt?.formatted(.iso8601) }
        }
        if let counters = logStore.counters()[tenant.id] {
            status.droppedLogLines = counters.droppedByFollowers + counters.droppedFromFiles
        }
        status.waitingFor = slots?.waitReason(of: tenant.id)?.description
    }
}
