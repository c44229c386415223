import CurlHTTP
import Dispatch
import Synchronization

/// Fetches the next pages of a stream concurrently while the current ones are being written.
///
/// Pages are requested in batches of `batchPages` (at least `concurrency`), `concurrency` at a
/// time over one libcurl multi handle, on a queue of their own (never the Swift concurrency pool).
/// The next batch is requested as soon as the reader starts on the newest one, so one batch is
/// always fetching while another is being written. With a known page count nothing past the end is
/// requested; without one (an API that only says "this page was short") the batches are
/// speculative and stop with ``stop()``. Pages are still handed out, parsed and committed in order;
/// a prefetched page that failed or does not parse is simply fetched again through the retrying
/// path, so prefetching never changes what is stored, only how soon.
package final class PagePrefetcher: @unchecked Sendable {
    let concurrency: Int
    /// Pages requested together; a batch's pages are at hand once all of them have arrived.
    let batchPages: Int
    private let fetcher: CurlMultiFetcher
    private let queue = DispatchQueue(label: "tenantsync.worker.prefetch")
    private let responses = Mutex<[Int: Result<HTTPResponse, HTTPClientError>]>([:])
    private var scheduledThrough = 0
    private var stopped = false
    private var pending: [Int: DispatchGroup] = [:]

    /// - Parameter batchPages: pages per batch; fewer than `concurrency` means `concurrency`.
    package init(concurrency: Int, batchPages: Int = 0) {
        self.concurrency = max(1, concurrency)
        self.batchPages = max(self.concurrency, batchPages)
        self.fetcher = CurlMultiFetcher(maximumConcurrent: self.concurrency)
    }

    /// Called with each page the reader starts on (0 before the first): requests the next batch when
    /// the reader has reached the newest one. `totalPages` bounds the batches; `nil` means unknown.
    func schedule(after page: Int, totalPages: Int?, request: (Int) -> HTTPRequest) {
        let last = totalPages ?? Int.max
        guard concurrency > 1, !stopped, page > scheduledThrough - batchPages, scheduledThrough < last else { return }
        let first = max(page, scheduledThrough) + 1
        guard first <= last else { return }
        let pages = Array(first...min(first + batchPages - 1, last))
        scheduledThrough = pages.last!
        // A group, unlike a work item, may be waited on once per page of the batch.
        let batch = DispatchGroup()
        for number in pages { pending[number] = batch }
        let requests = pages.map(request)
        queue.async(group: batch) { [self] in
            fetcher.fetchAll(requests) { index, result in
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

    /// Whether `page` was prefetched and has arrived, so ``take(_:)`` will not wait for it.
    func isAtHand(_ page: Int) -> Bool {
        guard let batch = pending[page] else { return false }
        return batch.wait(timeout: .now()) == .success
    }

    /// Whether nothing has been requested yet, as when a pass resumes partway.
    var isIdle: Bool { scheduledThrough == 0 }

    /// Requests no more batches: the reader has found the last page.
    func stop() {
        stopped = true
    }

    /// Waits for any batch still in flight, so nothing outlives the stream.
    package func drain() {
        queue.sync {}
    }
}
