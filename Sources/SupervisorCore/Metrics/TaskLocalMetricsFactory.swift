import CoreMetrics

/// A swift-metrics factory that hands each metric to the factory of the task that creates it.
///
/// Hummingbird 2's `MetricsMiddleware` can only record through the process-wide `MetricsSystem`, while a
/// process may run several supervisors (the tests do), each with a registry of its own. Bootstrapped once
/// per process (``bootstrap()``), this factory forwards to ``current``, which ``SupervisorApp/run()`` sets
/// for every task of its supervisor (the HTTP server's connection tasks inherit it). A metric created
/// outside any supervisor goes nowhere.
public struct TaskLocalMetricsFactory: MetricsFactory {
    /// The factory of the supervisor whose task is running, if any.
    @TaskLocal public static var current: (any MetricsFactory)?

    private static let bootstrapOnce: Void = MetricsSystem.bootstrap(TaskLocalMetricsFactory())

    /// Makes this factory the process's `MetricsSystem` factory; later calls do nothing. A process that
    /// bootstraps swift-metrics itself must not call it (swift-metrics allows one bootstrap).
    public static func bootstrap() {
        _ = bootstrapOnce
    }

    private var target: any MetricsFactory { Self.current ?? NOOPMetricsHandler.instance }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        target.makeCounter(label: label, dimensions: dimensions)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        target.makeFloatingPointCounter(label: label, dimensions: dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        target.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        target.makeMeter(label: label, dimensions: dimensions)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        target.makeTimer(label: label, dimensions: dimensions)
    }

    public func destroyCounter(_ handler: any CounterHandler) { target.destroyCounter(handler) }
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { target.destroyFloatingPointCounter(handler) }
    public func destroyRecorder(_ handler: any RecorderHandler) { target.destroyRecorder(handler) }
    public func destroyMeter(_ handler: any MeterHandler) { target.destroyMeter(handler) }
    public func destroyTimer(_ handler: any TimerHandler) { target.destroyTimer(handler) }
}
