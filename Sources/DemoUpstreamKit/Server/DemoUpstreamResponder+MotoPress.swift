import Foundation
import Hummingbird

extension DemoUpstreamResponder {
    /// Serves `/wp-json/mphb/v1/…` in the order WordPress checks things: credentials that were given
    /// but are wrong fail first (401), then the route (404), then missing credentials (401).
    func motoPress(_ request: Request, store: DemoSiteStore, route: ArraySlice<Substring>) async throws(DemoHTTPError) -> Response {
        let authenticated = try Self.authenticate(request, site: store.site)
        let route = Array(route)
        guard route.count == 3 || route.count == 4, route[0] == "mphb", route[1] == "v1",
            request.method == .get,
            let collection = store.collection(named: route[2])
        else {
            throw .noRoute
        }
        guard authenticated else {
            if route.count == 4 {
                var error = DemoHTTPError.cannotList
                error.message = "Sorry, you cannot view this resource."
                throw error
            }
            throw .cannotList
        }
        store.countRequest(collection: route[2])
        let bodyFaults = try self.faults.check()

        if route.count == 4 {
            // A trashed record is still served by id, with `status: "trash"`; a deleted one is gone.
            guard let id = Int(route[3]) else { throw .noRoute }
            guard let index = collection.index(ofID: id), collection.visibility[index] != .deleted else { throw .invalidID }
            return DemoHTTPResponses.json(body: collection.record(at: index))
        }

        let query = try WordPressListQuery(
            parameters: Self.queryParameterList(request),
            filtersBookings: route[2] == "bookings",
            siteOffsetSeconds: store.utcOffsetSeconds
        )
        await self.faults.holdIfAsked(page: query.page)
        let selection = query.selection(in: collection)
        let total = selection.count
        let totalPages = (total + query.perPage - 1) / query.perPage
        // Past the end the plugin answers an empty page with the real totals (it has no
        // rest_post_invalid_page_number check of its own).
        let start = min(query.start, total)
        let end = min(start + query.perPage, total)
        let indices: [Int]
        if query.ascending || query.orderBy == .include {
            indices = Array(selection[start..<end])
        } else {
            indices = Array(selection[(total - end)..<(total - start)].reversed())
        }
        // WordPress's global `_fields` trims every object to the fields named; the demo knows `id`.
        let body = query.fields == ["id"] ? collection.idArray(of: indices) : collection.array(of: indices)

        var headers: HTTPFields = [:]
        headers[.init("X-WP-Total")!] = String(total)
        headers[.init("X-WP-TotalPages")!] = String(totalPages)
        // WordPress sends one Link header per relation, prev before next.
        var links: [String] = []
        if query.page > 1 {
            links.append(Self.link(request, page: min(query.page - 1, totalPages), rel: "prev"))
        }
        if totalPages > query.page {
            links.append(Self.link(request, page: query.page + 1, rel: "next"))
        }
        if !links.isEmpty {
            headers[values: .init("Link")!] = links
        }
        return await FaultInjector.apply(bodyFaults, to: DemoHTTPResponses.json(headers: headers, body: body), body: body)
    }

    /// Checks Basic credentials or `consumer_key`/`consumer_secret` query parameters.
    ///
    /// Returns `false` when none were given; throws when some were given but are wrong.
    /// Basic credentials count only when the site sees the request as HTTPS (``DemoSite/isHTTPS``), as
    /// the plugin's authentication does; over plain HTTP they are ignored.
    static func authenticate(_ request: Request, site: DemoSite) throws(DemoHTTPError) -> Bool {
        guard site.isHTTPS else { return false }
        var key: String?
        var secret: String?
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("basic ") {
            let encoded = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
            guard let data = Data(base64Encoded: encoded), let decoded = String(data: data, encoding: .utf8),
                let colon = decoded.firstIndex(of: ":")
            else {
                throw .authentication("Consumer key is invalid.")
            }
            key = String(decoded[..<colon])
            secret = String(decoded[decoded.index(after: colon)...])
        } else {
            let parameters = Self.queryParameters(request)
            key = parameters["consumer_key"].map(String.init)
            secret = parameters["consumer_secret"].map(String.init)
        }
        guard let key else { return false }
        guard key == site.consumerKey else { throw .authentication("Consumer key is invalid.") }
        guard secret == site.consumerSecret else { throw .authentication("Consumer secret is invalid.") }
        return true
    }

    /// The query parameters, percent-decoded; the last of repeated keys wins, as in PHP.
    static func queryParameters(_ request: Request) -> [Substring: Substring] {
        Dictionary(request.uri.queryParameters.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// The query parameters, keys and values percent-decoded as PHP decodes them, in order and with repeats.
    static func queryParameterList(_ request: Request) -> [(key: Substring, value: Substring)] {
        request.uri.queryParameters.map { (key: Substring($0.key.removingPercentEncoding ?? String($0.key)), value: $0.value) }
    }

    /// A `Link` header value: this request's URL with `page` replaced (or added), as WordPress builds it.
    static func link(_ request: Request, page: Int, rel: String) -> String {
        let authority = request.head.authority ?? "127.0.0.1"
        var items = (request.uri.query ?? "").split(separator: "&").map(String.init)
        if let index = items.firstIndex(where: { $0 == "page" || $0.hasPrefix("page=") }) {
            items[index] = "page=\(page)"
        } else {
            items.append("page=\(page)")
        }
        return "<http://\(authority)\(request.uri.path)?\(items.joined(separator: "&"))>; rel=\"\(rel)\""
    }
}
