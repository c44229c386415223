import Foundation
import IPC

/// What tenants' workers do: restarts, exits and CPU as they happen, state and memory at each scrape.
extension SupervisorMetrics {
    /// Counts `count` more restarts of the tenant's worker.
    func recordRestarts(_ count: Int, tenant: String) {
        guard count > 0 else { return }
        series.counter(MetricName.workerRestarts, [("tenant", tenant)]).increment(by: count)
    }

    /// Counts a worker process that ended, by cause.
    func recordExit(_ exit: WorkerExit, tenant: String) {
        series.counter(MetricName.workerExits, [("tenant", tenant), ("cause", WorkerExitCause(exit).rawValue)]).increment()
    }

    /// Adds the CPU the worker used between two samples of the liveness monitor (`earlier` is `nil` for
    /// the first sample of a process, which counts everything it used since it started).
    func recordCPU(_ sample: ProcessSample, since earlier: ProcessSample?, tenant: String) {
        let ticks = sample.cpuTicks - min(earlier?.cpuTicks ?? 0, sample.cpuTicks)
        guard ticks > 0 else { return }
        let seconds = Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK)))
        series.floatingPointCounter(MetricName.workerCPU, [("tenant", tenant)]).increment(by: seconds)
    }

    /// Sets the tenant's state gauges (1 for its state, 0 for the states it was seen in before) and its
    /// worker's memory, from the status the API shows; makes its counters' series so they show 0 before
    /// anything happened.
    ///
    /// A state's series is made when the tenant is first seen in it, not one per state for every tenant
    /// (see ``MetricSeriesCache/existingGauge(_:_:)``).
    func recordStatus(_ status: TenantStatus) {
        let tenant = ("tenant", status.id)
        for state in TenantState.allCases {
            let labels = [tenant, ("state", state.rawValue)]
            if state == status.state {
                series.gauge(MetricName.workerState, labels).record(1)
            } else {
                series.existingGauge(MetricName.workerState, labels)?.record(0)
            }
        }
        series.gauge(MetricName.workerResidentMemory, [tenant]).record(status.rssBytes ?? 0)
        _ = series.counter(MetricName.workerRestarts, [tenant])
        _ = series.floatingPointCounter(MetricName.workerCPU, [tenant])
    }
}
