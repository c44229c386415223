import CoreMetrics
import Metrics
import Synchronization

/// The swift-metrics handles one supervisor has made, by name and labels, so each series is made once
/// and a removed tenant's series can be destroyed (which unregisters them from the Prometheus registry).
final class MetricSeriesCache: Sendable {
    private struct Key: Hashable {
        var name: String
        var labels: [String]

        init(_ name: String, _ labels: [(String, String)]) {
            self.name = name
            self.labels = labels.flatMap { [$0.0, $0.1] }
        }

        func has(label: String, value: String) -> Bool {
            stride(from: 0, to: labels.count, by: 2).contains { labels[$0] == label && labels[$0 + 1] == value }
        }
    }

    private enum Series: @unchecked Sendable {
        case counter(Counter)
        case floatingPointCounter(FloatingPointCounter)
        case gauge(Gauge)
        case meter(Meter)
        case timer(Timer)

        func destroy() {
            switch self {
            case .counter(let metric): metric.destroy()
            case .floatingPointCounter(let metric): metric.destroy()
            case .gauge(let metric): metric.destroy()
            case .meter(let metric): metric.destroy()
            case .timer(let metric): metric.destroy()
            }
        }
    }

    private struct State {
        var series: [Key: Series] = [:]
        /// The last total of each counter that mirrors a count kept elsewhere (``advance(_:_:to:)``).
        var mirrored: [Key: UInt64] = [:]
    }

    private let factory: any MetricsFactory
    private let state = Mutex(State())

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func counter(_ name: String, _ labels: [(String, String)] = []) -> Counter {
        let series = series(name, labels) { .counter(Counter(label: name, dimensions: labels, factory: factory)) }
        guard case .counter(let counter) = series else { preconditionFailure("\(name) is not a counter") }
        return counter
    }

    func floatingPointCounter(_ name: String, _ labels: [(String, String)] = []) -> FloatingPointCounter {
        let series = series(name, labels) { .floatingPointCounter(FloatingPointCounter(label: name, dimensions: labels, factory: factory)) }
        guard case .floatingPointCounter(let counter) = series else { preconditionFailure("\(name) is not a floating-point counter") }
        return counter
    }

    func gauge(_ name: String, _ labels: [(String, String)] = []) -> Gauge {
        let series = series(name, labels) { .gauge(Gauge(label: name, dimensions: labels, factory: factory)) }
        guard case .gauge(let gauge) = series else { preconditionFailure("\(name) is not a gauge") }
        return gauge
    }

    func meter(_ name: String, _ labels: [(String, String)] = []) -> Meter {
        let series = series(name, labels) { .meter(Meter(label: name, dimensions: labels, factory: factory)) }
        guard case .meter(let meter) = series else { preconditionFailure("\(name) is not a meter") }
        return meter
    }

    func timer(_ name: String, _ labels: [(String, String)] = []) -> Timer {
        let series = series(name, labels) { .timer(Timer(label: name, dimensions: labels, factory: factory)) }
        guard case .timer(let timer) = series else { preconditionFailure("\(name) is not a timer") }
        return timer
    }

    /// The gauge made before under `name` and `labels`, or nil: unlike ``gauge(_:_:)`` it never makes one.
    ///
    /// Each series a metric gains costs the Prometheus registry a copy of all that metric's series
    /// (swift-prometheus keeps a metric's series in a dictionary it copies to add one), so making
    /// series nobody needs grows with the square of their number: a `0` per state for each of 2,000
    /// tenants took 3.5 s of the first scrape.
    func existingGauge(_ name: String, _ labels: [(String, String)]) -> Gauge? {
        state.withLock { state in
            guard case .gauge(let gauge)? = state.series[Key(name, labels)] else { return nil }
            return gauge
        }
    }

    /// Brings a counter that mirrors a running total kept elsewhere up to `total`. A total lower than
    /// the last one means its source started again from zero, and all of it is new.
    func advance(_ name: String, _ labels: [(String, String)], to total: UInt64) {
        let counter = counter(name, labels)
        let increment = state.withLock { state -> UInt64 in
            let key = Key(name, labels)
            let last = state.mirrored[key] ?? 0
            state.mirrored[key] = total
            return total >= last ? total - last : total
        }
        if increment > 0 { counter.increment(by: Int64(clamping: increment)) }
    }

    /// Destroys every series whose `label` is `value` (all of a tenant's, say).
    func destroy(label: String, value: String) {
        let doomed = state.withLock { state -> [Series] in
            let keys = state.series.keys.filter { $0.has(label: label, value: value) }
            for key in keys { state.mirrored[key] = nil }
            return keys.compactMap { state.series.removeValue(forKey: $0) }
        }
        for series in doomed { series.destroy() }
    }

    private func series(_ name: String, _ labels: [(String, String)], make: () -> Series) -> Series {
        state.withLock { state in
            let key = Key(name, labels)
            if let existing = state.series[key] { return existing }
            let made = make()
            state.series[key] = made
            return made
        }
    }
}
