import IPC

/// Runs and tenant syncs: counted when this supervisor ends them; the queue as tenants enter and leave it.
extension SupervisorMetrics {
    /// A stream's records by outcome, as the `outcome` label of `tenantsync_rows_total`.
    private static func rowOutcomes(_ counts: StreamCounts) -> [(String, Int)] {
        [("created", counts.created), ("updated", counts.updated), ("unchanged", counts.unchanged),
         ("rejected", counts.rejected), ("deleted", counts.deleted)]
    }

    /// Counts a tenant's finished sync: its duration, its status, and its records per stream and outcome.
    ///
    /// A stream's outcome gets its series with its first record: five outcomes of four streams for each
    /// of 2,000 tenants made 40,000 series, most of them 0, each costing the registry a copy of the
    /// metric's series so far (see ``MetricSeriesCache/existingGauge(_:_:)``); in P13's sync-all of 1,000
    /// tenants that was 8 % of the machine's samples, and the supervisor's CPU grew with the square of the tenants.
    func recordTenantSync(tenant: String, status: TenantRunStatus, result: RunResult) {
        series.timer(MetricName.syncDuration, [("status", status.rawValue)]).recordMilliseconds(result.durationMilliseconds)
        series.counter(MetricName.tenantSyncs, [("tenant", tenant), ("status", status.rawValue)]).increment()
        for stream in result.streams {
            for (outcome, count) in Self.rowOutcomes(stream.counts) where count > 0 {
                series.counter(MetricName.rows, [("tenant", tenant), ("stream", stream.stream), ("outcome", outcome)]).increment(by: count)
            }
        }
    }

    /// Counts a run this supervisor ended. A trigger such as `requeue:<run id>` counts as `requeue`.
    func recordRunEnded(trigger: String, status: RunStatus) {
        let kind = trigger.split(separator: ":", maxSplits: 1).first.map(String.init) ?? trigger
        series.counter(MetricName.runs, [("trigger", kind), ("status", status.rawValue)]).increment()
    }

    /// A tenant of a run starts waiting for a sync slot.
    func tenantQueued() {
        series.meter(MetricName.tenantsQueued).increment()
    }

    /// A queued tenant got its slot after waiting `wait`.
    func tenantStartedSyncing(waited wait: Duration) {
        series.meter(MetricName.tenantsQueued).decrement()
        series.meter(MetricName.tenantsSyncing).increment()
        let (seconds, attoseconds) = wait.components
        series.timer(MetricName.queueWait).recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// A tenant gave its sync slot back.
    func tenantStoppedSyncing() {
        series.meter(MetricName.tenantsSyncing).decrement()
    }

    /// Makes the queue's series, so they show 0 before the first run.
    func prepareQueueSeries() {
        series.meter(MetricName.tenantsQueued).set(0)
        series.meter(MetricName.tenantsSyncing).set(0)
        _ = series.timer(MetricName.queueWait)
    }
}
