import Hummingbird

/// `GET /metrics`: every series of this supervisor in the Prometheus text format.
///
/// Open or behind an API key as ``MetricsSettings`` says; a key scoped to one tenant gets 403, since
/// the metrics name every tenant.
struct MetricsController: Sendable {
    let metrics: SupervisorMetrics
    let gauges: ScrapeTimeGauges
    let authenticator: APIKeyAuthenticator
    let requiresAPIKey: Bool

    /// The content type of the text exposition format that Prometheus scrapes.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/metrics", use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: APIRequestContext) async throws -> Response {
        if requiresAPIKey {
            let principal = try authenticator.principal(of: request)
            guard principal.tenant == nil else { throw APIError.forbidden("this API key is scoped to one tenant; /metrics shows every tenant") }
        }
        await gauges.refresh()
        return Response(
            status: .ok,
            headers: [.contentType: Self.contentType, .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(string: metrics.render()))
        )
    }
}
