import CurlHTTP
import Foundation

/// Talks to an estimates API: logs in for a bearer token and reads estimates 100 at a time.
///
/// A token can expire mid-sync (`401`); the client logs in again once and repeats the request, and
/// only a second refusal fails the stream as an authentication error.
final class EstimatesClient {
    let baseURL: String
    let email: String
    let password: String
    let perPage: Int
    let fetcher: UpstreamFetcher
    private var token: String?

    init(baseURL: String, email: String, password: String, perPage: Int, fetcher: UpstreamFetcher) {
        self.baseURL = baseURL
        self.email = email
        self.password = password
        self.perPage = perPage
        self.fetcher = fetcher
    }

    /// One page of estimates.
    struct Page {
        var records: [EstimateRecord]
        var invalid: [(json: String, reason: String)]
        /// The last page is the first short one: fewer than `perPage` entries.
        var isLast: Bool
    }

    /// The URL of `page` of the estimates created between `startDate` and `endDate`.
    func url(page: Int, startDate: String?, endDate: String?) -> String {
        var url = "\(baseURL)/estimates?page=\(page)&limit=\(perPage)"
        if let startDate { url += "&start_date=\(startDate)" }
        if let endDate { url += "&end_date=\(endDate)" }
        return url
    }

    /// `page` (from 1) of the estimates created between `startDate` and `endDate` (`YYYY-MM-DD`, inclusive).
    ///
    /// With a `prefetcher`, pages are requested ahead in speculative batches (the API gives no page
    /// count); the first short page stops them.
    func page(_ page: Int, startDate: String?, endDate: String?, prefetcher: PagePrefetcher<HTTPResponse>? = nil) throws(SyncError) -> Page {
        if let prefetcher, prefetcher.isIdle {
            let token = try currentToken()
            prefetcher.schedule(after: page - 1, totalPages: nil) { number in
                request(url(page: number, startDate: startDate, endDate: endDate), token: token)
            }
        }
        let result = try fetch(page, startDate: startDate, endDate: endDate, prefetcher: prefetcher)
        if let prefetcher {
            if result.isLast {
                prefetcher.stop()
            } else if let token {
                prefetcher.schedule(after: page, totalPages: nil) { number in
                    request(url(page: number, startDate: startDate, endDate: endDate), token: token)
                }
            }
        }
        return result
    }

    private func fetch(_ page: Int, startDate: String?, endDate: String?, prefetcher: PagePrefetcher<HTTPResponse>?) throws(SyncError) -> Page {
        let url = url(page: page, startDate: startDate, endDate: endDate)
        let perPage = perPage
        func parse(_ response: HTTPResponse) throws(SyncError) -> Page {
            do {
                let parsed = try EstimateRecord.parsePage(response.body)
                return Page(records: parsed.records, invalid: parsed.invalid, isLast: parsed.records.count + parsed.invalid.count < perPage)
            } catch {
                throw SyncError(code: error.code, message: "GET \(URLRedactor.redact(url)): \(error.message)")
            }
        }
        if let response = prefetcher?.take(page), let parsed = try? parse(response) {
            return parsed
        }
        let token = try currentToken()
        do throws(SyncError) {
            return try fetcher.perform(request(url, token: token), parse: parse)
        } catch where error.code == .authentication {
            self.token = nil
            let renewed = try currentToken()
            return try fetcher.perform(request(url, token: renewed), parse: parse)
        }
    }

    private func request(_ url: String, token: String) -> HTTPRequest {
        // Prefetched pages skip the fetcher, so the policy's time limits are set here too.
        fetcher.retryPolicy.limiting(
            HTTPRequest(url: url, headers: [(name: "Accept", value: "application/json"), (name: "Authorization", value: "Bearer \(token)")])
        )
    }

    private func currentToken() throws(SyncError) -> String {
        if let token { return token }
        let url = "\(baseURL)/auth/login"
        let body: [UInt8]
        do {
            body = Array(try JSONSerialization.data(withJSONObject: ["email": email, "password": password]))
        } catch {
            throw SyncError(code: .configuration, message: "cannot encode the estimates login")
        }
        let request = HTTPRequest(method: "POST", url: url, headers: [(name: "Content-Type", value: "application/json")], body: body)
        let token = try fetcher.perform(request) { response throws(SyncError) -> String in
            guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                let token = object["token"] as? String, !token.isEmpty
            else {
                throw SyncError(code: .badPayload, message: "POST \(URLRedactor.redact(url)): the login answer has no token")
            }
            return token
        }
        self.token = token
        return token
    }
}
