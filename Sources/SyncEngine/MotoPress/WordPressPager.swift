import CurlHTTP
import Foundation

/// Reads a WordPress REST collection page by page, in stable `id` order.
///
/// Asks for `orderby=id&order=asc` so that records created during the sync land on later pages
/// instead of shifting earlier ones, and reads the page count from `X-WP-TotalPages`.
struct WordPressPager {
    /// The largest page WordPress serves.
    static let maximumPerPage = 100

    let baseURL: String
    let credentials: BasicAuth
    let perPage: Int
    let fetcher: UpstreamFetcher

    /// One page of a collection.
    struct Page {
        var records: [JSONRecord]
        var invalid: [(json: String, reason: String)]
        var totalPages: Int?
        var total: Int?
    }

    /// The URL of `page` of `collection`.
    func url(collection: String, page: Int) -> String {
        "\(baseURL)/wp-json/mphb/v1/\(collection)?page=\(page)&per_page=\(perPage)&orderby=id&order=asc"
    }

    /// Fetches and parses one page; a body that is not a JSON array fails with the URL and reason.
    func fetch(collection: String, page: Int) throws(SyncError) -> Page {
        let url = url(collection: collection, page: page)
        let response = try fetcher.perform(HTTPRequest(url: url, headers: [(name: "Accept", value: "application/json")], basicAuth: credentials))
        do {
            let parsed = try JSONRecord.parseArray(response.body)
            return Page(
                records: parsed.records,
                invalid: parsed.invalid,
                totalPages: response.header("X-WP-TotalPages").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                total: response.header("X-WP-Total").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            )
        } catch {
            throw SyncError(code: error.code, message: "GET \(URLRedactor.redact(url)): \(error.message)")
        }
    }

    /// Calls `body` with every page in order until the last; stops early when cancelled.
    func forEachPage(collection: String, isCancelled: () -> Bool, _ body: (_ page: Page, _ number: Int) throws(SyncError) -> Void) throws(SyncError) {
        var number = 1
        while true {
            if isCancelled() { throw SyncError(code: .cancelled, message: "run cancelled: worker shutting down") }
            let page = try fetch(collection: collection, page: number)
            try body(page, number)
            let isLast: Bool
            if let totalPages = page.totalPages {
                isLast = number >= totalPages
            } else {
                isLast = page.records.count + page.invalid.count < perPage
            }
            if isLast { return }
            number += 1
        }
    }
}
