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

    /// `page` (from 1) of the estimates created between `startDate` and `endDate` (`YYYY-MM-DD`, inclusive).
    func page(_ page: Int, startDate: String?, endDate: String?) throws(SyncError) -> Page {
        var url = "\(baseURL)/estimates?page=\(page)&limit=\(perPage)"
        if let startDate { url += "&start_date=\(startDate)" }
        if let endDate { url += "&end_date=\(endDate)" }
        let perPage = perPage
        func parse(_ response: HTTPResponse) throws(SyncError) -> Page {
            do {
                let parsed = try EstimateRecord.parsePage(response.body)
                return Page(records: parsed.records, invalid: parsed.invalid, isLast: parsed.records.count + parsed.invalid.count < perPage)
            } catch {
                throw SyncError(code: error.code, message: "GET \(URLRedactor.redact(url)): \(error.message)")
            }
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
        HTTPRequest(url: url, headers: [(name: "Accept", value: "application/json"), (name: "Authorization", value: "Bearer \(token)")])
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
