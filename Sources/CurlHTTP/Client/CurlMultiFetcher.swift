import CCurl

/// Fetches many requests concurrently over one libcurl multi handle, blocking the caller's thread.
///
/// At most `maximumConcurrent` requests are in flight; the rest start as others finish. Easy handles
/// and connections are reused across requests and across calls to ``fetchAll(_:onResponse:)``, which
/// suits pipelining page fetches from one host. Not thread-safe: one fetcher per thread, and never on the
/// Swift concurrency pool.
public final class CurlMultiFetcher: @unchecked Sendable {
    /// The most requests in flight at once.
    public let maximumConcurrent: Int
    /// The largest response body (after decoding) accepted per request.
    public let maximumResponseBytes: Int

    private var multi: CurlMultiHandle?
    private var idleHandles: [CurlEasyHandle] = []

    public init(maximumConcurrent: Int = 4, maximumResponseBytes: Int = 64 << 20) {
        self.maximumConcurrent = max(1, maximumConcurrent)
        self.maximumResponseBytes = maximumResponseBytes
    }

    deinit {
        // Every easy handle is out of the multi handle by now; free them before it, as libcurl suggests.
        idleHandles.removeAll()
        multi = nil
    }

    /// Sends every request and calls `onResponse` once per request, in completion order, with its index in `requests`.
    ///
    /// Returns after the last callback. A failure of the multi handle itself is delivered as an error for
    /// every request still outstanding.
    public func fetchAll(
        _ requests: [HTTPRequest],
        onResponse: (Int, Result<HTTPResponse, HTTPClientError>) -> Void
    ) {
        guard let multi = multi ?? CurlMultiHandle(maximumConnections: maximumConcurrent) else {
            for (index, request) in requests.enumerated() {
                let error = HTTPClientError(code: .other, url: request.url, message: "libcurl could not create a multi handle")
                onResponse(index, .failure(error))
            }
            return
        }
        self.multi = multi
        var active: [UnsafeMutableRawPointer: (index: Int, handle: CurlEasyHandle)] = [:]
        var next = 0

        func start(_ index: Int) {
            guard let handle = idleHandles.popLast() ?? CurlEasyHandle() else {
                let error = HTTPClientError(
                    code: .other, url: requests[index].url, message: "libcurl could not create an easy handle"
                )
                onResponse(index, .failure(error))
                return
            }
            do throws(HTTPClientError) {
                try handle.prepare(CurlTransfer(request: requests[index], maximumResponseBytes: maximumResponseBytes))
                try multi.add(handle)
                active[handle.raw] = (index, handle)
            } catch {
                handle.release()
                idleHandles.append(handle)
                onResponse(index, .failure(error))
            }
        }

        func finish(_ easy: UnsafeMutableRawPointer, _ code: CURLcode) {
            guard let (index, handle) = active.removeValue(forKey: easy) else { return }
            multi.remove(handle)
            let result = handle.complete(code)
            handle.release()
            idleHandles.append(handle)
            onResponse(index, result)
        }

        func failOutstanding(_ error: HTTPClientError) {
            for (index, handle) in active.values.sorted(by: { $0.index < $1.index }) {
                multi.remove(handle)
                handle.release()
                idleHandles.append(handle)
                var failure = error
                failure.url = requests[index].url
                onResponse(index, .failure(failure))
            }
            active.removeAll()
            while next < requests.count {
                var failure = error
                failure.url = requests[next].url
                onResponse(next, .failure(failure))
                next += 1
            }
        }

        do throws(HTTPClientError) {
            while true {
                while active.count < maximumConcurrent, next < requests.count {
                    next += 1
                    start(next - 1)
                }
                if active.isEmpty { return }
                let running = try multi.perform()
                var finishedAny = false
                while let (easy, code) = multi.nextCompleted() {
                    finish(easy, code)
                    finishedAny = true
                }
                if !finishedAny {
                    guard running > 0 else {
                        throw HTTPClientError(code: .other, url: "", message: "curl multi: transfers stalled unfinished")
                    }
                    try multi.poll(timeoutMilliseconds: 1000)
                }
            }
        } catch {
            failOutstanding(error)
        }
    }
}
