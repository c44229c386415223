import CurlHTTP
import Foundation

/// Reads a WordPress REST collection page by page, in stable `id` order.
///
/// Asks for `orderby=id&order=asc` so that records created during the sync land on later pages
/// instead of shifting earlier ones. The last page is known from `X-WP-TotalPages`; without it, from
/// the absence of a `Link: <…>; rel="next"` header; without either, it is the first short page.
///
/// An incremental listing selects by modification time the only way the plugin can: it hands
/// `filter[date_query]` to `WP_Query`, so the pager asks for `post_modified_gmt` after a UTC time
/// written without a zone (WordPress moves a time with `Z` or an offset to the site's time zone before
/// comparing it with the GMT column). Unknown parameters such as `modified_after` are ignored by
/// WordPress, which would list everything.
package struct WordPressPager: @unchecked Sendable {
    /// The largest page WordPress serves.
    static let maximumPerPage = 100

    let baseURL: String
    let credentials: BasicAuth
    let perPage: Int
    let fetcher: UpstreamFetcher

    package init(baseURL: String, credentials: BasicAuth, perPage: Int, fetcher: UpstreamFetcher) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.perPage = perPage
        self.fetcher = fetcher
    }

    /// One page of a collection.
    package struct Page: Sendable {
        package var records: [JSONRecord]
        var invalid: [(json: String, reason: String)]
        var totalPages: Int?
        var total: Int?
        /// Whether a `Link` header names a next page; `nil` when the response has no `Link` header.
        var hasNext: Bool?
    }

    /// The URL of `page` of `collection`, optionally only records modified after `modifiedAfter`,
    /// a UTC time as `YYYY-MM-DD HH:MM:SS`.
    func url(collection: String, page: Int, modifiedAfter: String? = nil) -> String {
        var url = "\(baseURL)/wp-json/mphb/v1/\(collection)?page=\(page)&per_page=\(perPage)&orderby=id&order=asc"
        if let modifiedAfter {
            let clause = "filter%5Bdate_query%5D%5B0%5D"
            url += "&\(clause)%5Bcolumn%5D=post_modified_gmt&\(clause)%5Binclusive%5D=1&\(clause)%5Bafter%5D="
                + (modifiedAfter.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? modifiedAfter)
        }
        return url
    }

    /// The request for `page` of `collection`.
    func request(collection: String, page: Int, modifiedAfter: String? = nil) -> HTTPRequest {
        request(url: url(collection: collection, page: page, modifiedAfter: modifiedAfter))
    }

    private func request(url: String) -> HTTPRequest {
        // Prefetched pages skip the fetcher, so the policy's time limits are set here too.
        fetcher.retryPolicy.limiting(HTTPRequest(url: url, headers: [(name: "Accept", value: "application/json")], basicAuth: credentials))
    }

    /// The records of `collection` among `ids` that the upstream still lists, asked for 100 at a
    /// time with `include`; a trashed or deleted record is not among them.
    func lookUp(collection: String, ids: [String]) throws(SyncError) -> [Page] {
        var pages: [Page] = []
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(start + Self.maximumPerPage, ids.count)]
            let url = "\(baseURL)/wp-json/mphb/v1/\(collection)?include=\(chunk.joined(separator: ","))&per_page=\(Self.maximumPerPage)&orderby=id&order=asc"
            let request = request(url: url)
            pages.append(try fetcher.perform(request) { response throws(SyncError) in try Self.parse(response, url: url) })
            start += Self.maximumPerPage
        }
        return pages
    }

    /// Every id `collection` lists now, read with WordPress's `_fields=id` (100 small objects a page).
    ///
    /// A sweep whose pages disagree on `X-WP-Total` ran while the listing changed and may have missed
    /// ids itself; it is repeated, up to three sweeps, and the last one is returned.
    func listIDs(collection: String) throws(SyncError) -> [String] {
        var ids: [String] = []
        for _ in 1...3 {
            ids = []
            var totals = Set<Int>()
            var number = 1
            while true {
                let url = "\(baseURL)/wp-json/mphb/v1/\(collection)?_fields=id&page=\(number)&per_page=\(Self.maximumPerPage)&orderby=id&order=asc"
                let request = request(url: url)
                let page = try fetcher.perform(request) { response throws(SyncError) in try Self.parse(response, url: url) }
                ids.append(contentsOf: page.records.map { String($0.externalID) })
                if let total = page.total { totals.insert(total) }
                if isLast(page, number: number, perPage: Self.maximumPerPage) || page.records.isEmpty { break }
                number += 1
            }
            if totals.count <= 1 { break }
        }
        return ids
    }

    /// A prefetcher for ``fetch(collection:page:modifiedAfter:prefetcher:)`` that parses each page
    /// on its own thread as it arrives.
    package static func prefetcher(concurrency: Int, batchPages: Int = 0) -> PagePrefetcher<Page> {
        // A page that does not parse is fetched again by the reader, whose error names the URL.
        PagePrefetcher(concurrency: concurrency, batchPages: batchPages) { response in try? parse(response, url: "") }
    }

    /// Fetches and parses one page; a body that is not a JSON array is fetched again, then fails with the URL and reason.
    ///
    /// With a `prefetcher`, a page it already holds (parsed) is used as is, and once the page count
    /// is known the following pages are requested concurrently.
    package func fetch(collection: String, page: Int, modifiedAfter: String? = nil, prefetcher: PagePrefetcher<Page>? = nil) throws(SyncError) -> Page {
        let request = request(collection: collection, page: page, modifiedAfter: modifiedAfter)
        let result: Page
        if let parsed = prefetcher?.take(page) {
            result = parsed
        } else {
            do throws(SyncError) {
                result = try fetcher.perform(request) { response throws(SyncError) in try Self.parse(response, url: request.url) }
            } catch where page > 1 && error.message.contains("rest_post_invalid_page_number") {
                // A resumed pass whose collection shrank since: there is nothing past the end.
                return Page(records: [], invalid: [], totalPages: nil, total: nil, hasNext: false)
            }
        }
        if let prefetcher, let totalPages = result.totalPages {
            prefetcher.schedule(after: page, totalPages: totalPages) { number in
                self.request(collection: collection, page: number, modifiedAfter: modifiedAfter)
            }
        }
        return result
    }

    private static func parse(_ response: HTTPResponse, url: String) throws(SyncError) -> Page {
        do throws(SyncError) {
            let parsed = try JSONRecord.parseArray(response.body)
            return Page(
                records: parsed.records,
                invalid: parsed.invalid,
                totalPages: response.header("X-WP-TotalPages").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                total: response.header("X-WP-Total").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                hasNext: Self.hasNextLink(response)
            )
        } catch {
            throw SyncError(code: error.code, message: "GET \(URLRedactor.redact(url)): \(error.message)")
        }
    }

    /// Whether `page` (number `number`, asked for with `perPage`, the tenant's page size unless
    /// told otherwise) is the last one: by `X-WP-TotalPages`, else a `Link` header, else a short page.
    package func isLast(_ page: Page, number: Int, perPage: Int? = nil) -> Bool {
        if let totalPages = page.totalPages { return number >= totalPages }
        if let hasNext = page.hasNext { return !hasNext }
        return page.records.count + page.invalid.count < (perPage ?? self.perPage)
    }

    /// `true` if a `Link` header has `rel="next"`, `false` if there are `Link` headers without it, `nil` if none.
    static func hasNextLink(_ response: HTTPResponse) -> Bool? {
        let links = response.headers.filter { $0.name.lowercased() == "link" }.map(\.value)
        guard !links.isEmpty else { return nil }
        return links.contains { $0.replacingOccurrences(of: " ", with: "").lowercased().contains("rel=\"next\"") }
    }
}
