/// Renames the series Hummingbird's `MetricsMiddleware` records (OpenTelemetry-style names such as
/// `hb.requests` and `http.route`) to the supervisor's Prometheus names (``MetricName``).
///
/// Installed as the Prometheus factory's `nameAndLabelSanitizer`; every other name passes unchanged.
enum HTTPMetricNames {
    private static let names = [
        "hb.requests": MetricName.httpRequests,
        "http.server.request.duration": MetricName.httpRequestDuration,
        "hb.request.errors": MetricName.httpRequestErrors,
        "http.server.active_requests": MetricName.httpActiveRequests,
    ]

    private static let labels = [
        "http.route": "route",
        "http.request.method": "method",
        "http.response.status_code": "status",
        "error.type": "status",
    ]

    /// The supervisor's name and labels for a series Hummingbird names `name` with `labels`.
    @Sendable static func rename(_ name: String, _ labels: [(String, String)]) -> (String, [(String, String)]) {
        guard let renamed = names[name] else { return (name, labels) }
        return (renamed, labels.map { (Self.labels[$0.0] ?? $0.0, $0.1) })
    }
}
