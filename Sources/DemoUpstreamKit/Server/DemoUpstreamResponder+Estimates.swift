import Foundation
import Hummingbird

extension DemoUpstreamResponder {
    /// Serves the estimates API: a login that issues bearer tokens, and a paged list of estimates.
    ///
    /// `GET estimates` takes `page` (from 1), `limit` (1…1000, default 100), and `start_date` and
    /// `end_date` (`YYYY-MM-DD`, inclusive, on `created_at`). It answers `{"data": [...]}` in creation
    /// order with no totals: a client stops at the first short page. Each token serves
    /// `estimatesTokenLifetime` requests, then answers 401 `token_expired` until the client logs in again.
    func estimates(_ request: Request, store: DemoSiteStore, route: ArraySlice<Substring>) async throws(DemoHTTPError)
        -> Response
    {
        let route = Array(route)
        if route == ["auth", "login"], request.method == .post {
            return try await self.login(request, store: store)
        }
        guard route == ["estimates"], request.method == .get else {
            throw .estimates(.notFound, "not_found", "No such endpoint.")
        }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw .estimates(.unauthorized, "unauthorized", "Missing bearer token.")
        }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard store.tokens.withLock({ $0.use(token) }) else {
            throw .estimates(.unauthorized, "token_expired", "The token is invalid or has expired; log in again.")
        }
        let bodyFaults = try self.faults.check()

        let parameters = Self.queryParameters(request)
        func integer(_ name: Substring, default value: Int, range: ClosedRange<Int>) throws(DemoHTTPError) -> Int {
            guard let text = parameters[name] else { return value }
            guard let number = Int(text), range.contains(number) else {
                throw .estimates(.badRequest, "invalid_parameter", "\(name) must be an integer in \(range).")
            }
            return number
        }
        func day(_ name: Substring) throws(DemoHTTPError) -> Int64? {
            guard let text = parameters[name], !text.isEmpty else { return nil }
            guard let day = CivilTime.parseDate(text) else {
                throw .estimates(.badRequest, "invalid_parameter", "\(name) must be a date, YYYY-MM-DD.")
            }
            return day
        }
        let page = try integer("page", default: 1, range: 1...Int(Int32.max))
        let limit = try integer("limit", default: 100, range: 1...1_000)
        let startDay = try day("start_date")
        let endDay = try day("end_date")

        let collection = store.estimates
        var selection = Array(collection.createdAt.indices)
        if startDay != nil || endDay != nil {
            selection = selection.filter { index in
                let day = collection.createdAt[index] / 86_400
                return day >= (startDay ?? .min) && day <= (endDay ?? .max)
            }
        }
        let start = min((page - 1).multipliedReportingOverflow(by: limit).partialValue, selection.count)
        let end = min(start + limit, selection.count)
        let body = collection.array(of: selection[max(start, 0)..<end], prefix: "{\"data\":", suffix: "}")
        return await FaultInjector.apply(bodyFaults, to: DemoHTTPResponses.json(body: body), body: body)
    }

    /// `POST auth/login` with `{"email", "password"}`: answers `{"token"}` or 401.
    private func login(_ request: Request, store: DemoSiteStore) async throws(DemoHTTPError) -> Response {
        struct Credentials: Decodable {
            var email: String
            var password: String
        }
        var request = request
        let credentials: Credentials
        do {
            let body = try await request.collectBody(upTo: 64 * 1024)
            credentials = try JSONDecoder().decode(Credentials.self, from: Data(body.readableBytesView))
        } catch {
            throw .estimates(.badRequest, "invalid_request", "Expected a JSON body with email and password.")
        }
        guard credentials.email == store.site.estimatesEmail, credentials.password == store.site.estimatesPassword else {
            throw .estimates(.unauthorized, "invalid_credentials", "Invalid email or password.")
        }
        let lifetime = self.estimatesTokenLifetime
        let token = store.tokens.withLock { $0.issue(lifetime: lifetime) }
        var json = JSONWriter()
        json.openObject()
        json.field("token", token)
        json.closeObject()
        return DemoHTTPResponses.json(body: ByteBuffer(bytes: json.bytes))
    }
}
