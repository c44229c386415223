/// Callback (webhook) deliveries: each attempt as it is made, each delivery once it is final.
extension SupervisorMetrics {
    /// How one attempt to send a callback went, as the `outcome` label of `tenantsync_callback_attempts_total`.
    enum CallbackAttemptOutcome: String {
        /// A 2xx answer.
        case success
        /// 410 Gone: the endpoint is disabled.
        case gone
        /// Any other HTTP answer.
        case httpError = "http_error"
        /// No answer: connection refused, timeout, TLS.
        case networkError = "network_error"
    }

    /// Counts one attempt to send a callback.
    func recordCallbackAttempt(_ outcome: CallbackAttemptOutcome) {
        series.counter(MetricName.callbackAttempts, [("outcome", outcome.rawValue)]).increment()
    }

    /// Counts a delivery that reached its final status: `delivered`, `failed` or `disabled`.
    func recordCallbackDelivery(final status: String) {
        series.counter(MetricName.callbackDeliveries, [("outcome", status)]).increment()
    }
}
