import CurlHTTP
import Foundation
import Logging

/// Performs upstream requests with retries for transient faults, turning failures into ``SyncError``s.
///
/// Retries connection failures, timeouts, resets, `429` (honouring `Retry-After`) and `5xx`;
/// `401`/`403` fail at once as ``SyncError/Code/authentication``; any other status fails at once.
package struct UpstreamFetcher {
    let http: CurlHTTPClient
    let retryPolicy: RetryPolicy
    let logger: Logger
    let isCancelled: () -> Bool

    package init(http: CurlHTTPClient, retryPolicy: RetryPolicy, logger: Logger, isCancelled: @escaping () -> Bool) {
        self.http = http
        self.retryPolicy = retryPolicy
        self.logger = logger
        self.isCancelled = isCancelled
    }

    /// Performs `request` until it succeeds with a 2xx, or fails for good.
    func perform(_ request: HTTPRequest) throws(SyncError) -> HTTPResponse {
        try perform(request) { response throws(SyncError) in response }
    }

    /// Performs `request` and parses its 2xx answer, retrying transient faults and unparseable bodies.
    ///
    /// A body that `parse` rejects with ``SyncError/Code/badPayload`` (a truncated or garbled page)
    /// is fetched again like a 5xx; once attempts run out the error names the URL and the reason.
    func perform<T>(_ request: HTTPRequest, parse: (HTTPResponse) throws(SyncError) -> T) throws(SyncError) -> T {
        let request = retryPolicy.limiting(request)
        var attempt = 1
        while true {
            let failure: (message: String, retryable: Bool, retryAfter: Duration?)
            do {
                let response = try http.perform(request)
                switch response.status {
                case 200..<300:
                    switch Result(catching: { () throws(SyncError) -> T in try parse(response) }) {
                    case .success(let value):
                        return value
                    case .failure(let error) where error.code == .badPayload:
                        failure = (error.message, true, nil)
                    case .failure(let error):
                        throw error
                    }
                case 401, 403:
                    throw SyncError(code: .authentication, message: AuthenticationFailure(request: request, status: response.status, body: response.body).message)
                case 429, 500..<600:
                    failure = ("HTTP \(response.status)", true, response.retryAfter)
                default:
                    failure = ("HTTP \(response.status): \(Self.excerpt(response.body))", false, nil)
                }
            } catch let error as SyncError {
                throw error
            } catch let error as HTTPClientError {
                failure = (error.message, error.isRetryable, nil)
            } catch {
                failure = ("\(error)", false, nil)
            }
            let where_ = "\(request.method) \(URLRedactor.redact(request.url))"
            guard failure.retryable, attempt < retryPolicy.maximumAttempts else {
                let tries = attempt > 1 ? " after \(attempt) attempts" : ""
                throw SyncError(code: .upstream, message: "\(where_) failed\(tries): \(failure.message)")
            }
            let delay = retryPolicy.delay(beforeRetry: attempt, retryAfter: failure.retryAfter)
            logger.warning("upstream request failed, retrying", metadata: [
                "http.url": "\(URLRedactor.redact(request.url))", "error": "\(failure.message)",
                "retry.attempt": "\(attempt)", "retry.delay_ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)",
            ])
            if isCancelled() { throw SyncError(code: .cancelled, message: "run cancelled while waiting to retry the upstream") }
            Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            attempt += 1
        }
    }

    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return body.count > 200 ? text + "…" : text
    }
}
