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
///
/// Each page is decoded (`decode`, parsing its JSON for instance) on the prefetching thread as it
/// arrives, so the reader's thread gets it ready to use: on a re-sync with nothing changed, scanning
/// the pages' JSON was a quarter of the worker's thread (`perf` on P9), while the second core was
/// mostly idle.
package final class PagePrefetcher<Decoded: Sendable>: @unchecked Sendable {
    let concurrency: Int
    /// Pages requested together; a batch's pages are at hand once all of them have arrived.
    let batchPages: Int
    private let fetcher: CurlMultiFetcher
    private let decode: @Sendable (HTTPResponse) -> Decoded?
    private let queue = DispatchQueue(label: "tenantsync.worker.prefetch")
    /// Each prefetched page, decoded; `nil` when its request failed, it was not a 2xx or did not decode.
    private let pages = Mutex<[Int: Decoded?]>([:])
    private var scheduledThrough = 0
    private var stopped = false
    private var pending: [Int: DispatchGroup] = [:]

    /// - Parameters:
    ///   - batchPages: pages per batch; fewer than `concurrency` means `concurrency`.
    ///   - decode: turns a 2xx response into what ``take(_:)`` hands out, on the prefetching thread;
    ///     `nil` for one the reader should fetch again through its retrying path.
    package init(concurrency: Int, batchPages: Int = 0, decode: @escaping @Sendable (HTTPResponse) -> Decoded?) {
        self.concurrency = max(1, concurrency)
        self.batchPages = max(self.concurrency, batchPages)
        self.fetcher = CurlMultiFetcher(maximumConcurrent: self.concurrency)
        self.decode = decode
    }

    /// Called with each page the reader starts on (0 before the first): requests the next batch when
    /// the reader has reached the newest one. `totalPages` bounds the batches; `nil` means unknown.
    func schedule(after page: Int, totalPages: Int?, request: (Int) -> HTTPRequest) {
        let last = totalPages ?? Int.max
        guard concurrency > 1, !stopped, page > scheduledThrough - batchPages, scheduledThrough < last else { return }
        let first = max(page, scheduledThrough) + 1
        guard first <= last else { return }
        let numbers = Array(first...min(first + batchPages - 1, last))
        scheduledThrough = numbers.last!
        // A group, unlike a work item, may be waited on once per page of the batch.
        let batch = DispatchGroup()
        for number in numbers { pending[number] = batch }
        let requests = numbers.map(request)
        queue.async(group: batch) { [self] in
            fetcher.fetchAll(requests) { index, result in
                var decoded: Decoded?
                if case .success(let response) = result, (200..<300).contains(response.status) {
                    decoded = decode(response)
                }
                pages.withLock { $0[numbers[index]] = decoded }
            }
        }
    }

    /// The prefetched page `page`, decoded, waiting for its batch; `nil` when it was not prefetched,
    /// failed or did not decode.
    func take(_ page: Int) -> Decoded? {
        guard let batch = pending.removeValue(forKey: page) else { return nil }
        batch.wait()
        return pages.withLock { $0.removeValue(forKey: page) } ?? nil
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

extension PagePrefetcher where Decoded == HTTPResponse {
    /// A prefetcher that hands out the responses themselves.
    package convenience init(concurrency: Int, batchPages: Int = 0) {
        self.init(concurrency: concurrency, batchPages: batchPages, decode: { $0 })
    }
}
