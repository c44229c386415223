import Logging
import Postgres

/// Refreshes, just before `GET /metrics` renders, the series whose values are read rather than
/// counted as they happen: tenants' states and memory, leases held, log counters, the callback outbox.
struct ScrapeTimeGauges: Sendable {
    let metrics: SupervisorMetrics
    let fleet: WorkerFleet
    let leases: LeaseTable?
    let database: PostgresClient
    let logger: Logger

    func refresh() async {
        let statuses = await fleet.statuses()
        for status in statuses { metrics.recordStatus(status) }
        metrics.series.gauge(MetricName.leasesHeld).record(leases?.held.count ?? 0)
        recordLogCounters(of: Set(statuses.map(\.id)))
        do {
            let outbox = try await OutboxReading.read(database)
            metrics.series.gauge(MetricName.callbackOutboxDepth).record(outbox.depth)
            metrics.series.gauge(MetricName.callbackOldestUndeliveredAge).record(outbox.oldestAgeSeconds)
        } catch {
            // The outbox's gauges keep their last values; the rest of the scrape is still true.
            logger.warning("metrics: cannot read the callback outbox", metadata: ["error": "\(error)"])
        }
    }

    /// The log store keeps running totals per tenant; its counters follow them. Only configured
    /// tenants: a removed tenant's lines may linger in the store, its series may not.
    private func recordLogCounters(of tenants: Set<String>) {
        for (tenant, counters) in fleet.logStore.counters() where tenants.contains(tenant) {
            metrics.series.advance(MetricName.logLinesStored, [("tenant", tenant)], to: counters.lines)
            metrics.series.advance(MetricName.logLinesDropped, [("tenant", tenant), ("reason", "followers")], to: counters.droppedByFollowers)
            metrics.series.advance(MetricName.logLinesDropped, [("tenant", tenant), ("reason", "files")], to: counters.droppedFromFiles)
        }
    }
}
