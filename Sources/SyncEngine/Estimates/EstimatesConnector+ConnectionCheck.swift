import CurlHTTP
import Logging

/// The connection test: a login, then one page of estimates.
extension EstimatesConnector {
    /// `logged in; 25 estimates on the first page`, or what failed.
    public func checkConnection(http: CurlHTTPClient, logger: Logger) throws(SyncError) -> String {
        var policy = retryPolicy
        // A person is waiting: one retry at most.
        policy.maximumAttempts = min(policy.maximumAttempts, 2)
        let client = EstimatesClient(
            baseURL: baseURL, email: email, password: password, perPage: perPage,
            fetcher: UpstreamFetcher(http: http, retryPolicy: policy, logger: logger, isCancelled: { false })
        )
        let page = try client.page(1, startDate: startDate, endDate: endDate)
        let count = page.records.count + page.invalid.count
        let more = page.isLast ? "" : " (and more)"
        return "logged in; \(count) \(count == 1 ? "estimate" : "estimates") on the first page\(more)"
    }
}
