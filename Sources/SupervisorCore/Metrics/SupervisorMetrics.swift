import CoreMetrics
import Metrics
import Prometheus

/// One supervisor's metrics: a Prometheus registry of its own, written through swift-metrics and
/// rendered in the Prometheus text format by `GET /metrics` (``MetricsController``).
///
/// Every part of the supervisor records through the one instance ``SupervisorApp`` makes and passes
/// down; nothing here touches the process-wide `MetricsSystem`, so several supervisors in one process
/// keep their numbers apart. Hummingbird's request metrics reach ``factory`` through ``TaskLocalMetricsFactory``.
public final class SupervisorMetrics: Sendable {
    /// The registry `GET /metrics` renders.
    public let registry: PrometheusCollectorRegistry
    /// swift-metrics' factory over ``registry``, with Hummingbird's names renamed (``HTTPMetricNames``).
    public let factory: PrometheusMetricsFactory
    let series: MetricSeriesCache

    /// Sync durations run from seconds to hours.
    static let syncDurationBuckets: [Duration] = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600].map { .seconds($0) }
    /// Waits for a sync slot run from nothing to as long as another tenant's sync.
    static let queueWaitBuckets: [Duration] = [.milliseconds(10), .milliseconds(100)] + [1, 5, 15, 60, 300, 900, 3600].map { .seconds($0) }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = HTTPMetricNames.rename
        factory.durationHistogramBuckets = [
            MetricName.syncDuration: Self.syncDurationBuckets,
            MetricName.queueWait: Self.queueWaitBuckets,
        ]
        self.factory = factory
        self.series = MetricSeriesCache(factory: factory)
    }

    /// Every series in the Prometheus text exposition format (version 0.0.4).
    public func render() -> String {
        registry.emitToString()
    }

    /// Destroys every series labelled with `tenantID`, once the tenant is removed.
    func forgetTenant(_ tenantID: String) {
        series.destroy(label: "tenant", value: tenantID)
    }
}
