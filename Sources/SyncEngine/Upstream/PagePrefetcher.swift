import CurlHTTP
import Dispatch
import Synchronization

/// Fetches the next pages of a stream concurrently while the current one is being written.
///
/// Once the total page count is known, the pages after the one in hand are requested in batches of
/// `concurrency` over one libcurl multi handle, on a queue of their own (never the Swift concurrency
/// pool). Pages are still handed out, parsed and committed in order; a prefetched page that failed or
/// does not parse is simply fetched again through the retrying path, so prefetching never changes
/// what is stored, only how soon.
final class PagePrefetcher: @unchecked Sendable {
    let concurrency: Int
    private let fetcher: CurlMultiFetcher
    private let queue = DispatchQueue(label: "tenantsync.worker.prefetch")
    private let responses = Mutex<[Int: Result<HTTPResponse, HTTPClientError>]>([:])
    private var scheduledThrough = 0
    private var pending: [Int: DispatchGroup] = [:]

    init(concurrency: Int) {
        self.concurrency = max(1, concurrency)
        self.fetcher = CurlMultiFetcher(maximumConcurrent: self.concurrency)
    }

    /// Starts fetching the batch after `page` (up to `totalPages`) if it is not already under way.
    func schedule(after page: Int, totalPages: Int, request: @escaping @Sendable (Int) -> HTTPRequest) {
        guard concurrency > 1, page >= scheduledThrough, page < totalPages else { return }
        let pages = Array((page + 1)...min(page + concurrency, totalPages))
        scheduledThrough = pages.last!
        // A group, unlike a work item, may be waited on once per page of the batch.
        let batch = DispatchGroup()
        for number in pages { pending[number] = batch }
        queue.async(group: batch) { [self] in
            fetcher.fetchAll(pages.map(request)) { index, result in
                responses.withLock { $0[pages[index]] = result }
            }
        }
    }

    /// The prefetched 2xx response of `page`, waiting for its batch; `nil` when it was not prefetched or failed.
    func take(_ page: Int) -> HTTPResponse? {
        guard let batch = pending.removeValue(forKey: page) else { return nil }
        batch.wait()
        guard case .success(let response) = responses.withLock({ $0.removeValue(forKey: page) }),
            (200..<300).contains(response.status)
        else { return nil }
        return response
    }

    /// Waits for any batch still in flight, so nothing outlives the stream.
    func drain() {
        queue.sync {}
    }
}
