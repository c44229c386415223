import CurlHTTP
import Logging

/// The connection test: one small page of the site's accommodations, with the tenant's credentials.
extension MotoPressConnector {
    /// `3 accommodations found`, counted by the site (`X-WP-Total`), or what failed.
    public func checkConnection(http: CurlHTTPClient, logger: Logger) throws(SyncError) -> String {
        var policy = retryPolicy
        // A person is waiting: one retry at most.
        policy.maximumAttempts = min(policy.maximumAttempts, 2)
        let pager = WordPressPager(
            baseURL: baseURL, credentials: credentials, perPage: 1,
            fetcher: UpstreamFetcher(http: http, retryPolicy: policy, logger: logger, isCancelled: { false })
        )
        let page = try pager.fetch(collection: "accommodations", page: 1)
        let count = page.total ?? page.records.count
        return count == 1 ? "1 accommodation found" : "\(count) accommodations found"
    }
}
