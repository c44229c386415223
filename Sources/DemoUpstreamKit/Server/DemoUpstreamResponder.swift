import Hummingbird

/// Routes every request of the demo upstream.
///
/// Layout, for each configured site:
/// - `GET /sites/{site}/wp-json/mphb/v1/{accommodation_types|accommodations|rates|bookings}[/{id}]`
/// - `POST /sites/{site}/estimates-api/auth/login`, `GET /sites/{site}/estimates-api/estimates`
///
/// and `GET /`, a list of the sites without credentials. A hand-written router keeps unknown paths
/// answering WordPress's `rest_no_route` rather than Hummingbird's own 404 body.
struct DemoUpstreamResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let stores: [String: DemoSiteStore]
    let siteNames: [String]
    let latency: Duration
    let estimatesTokenLifetime: Int
    let faults: FaultInjector

    init(configuration: DemoUpstreamConfiguration) {
        self.stores = Dictionary(uniqueKeysWithValues: configuration.sites.map { ($0.name, DemoSiteStore(site: $0)) })
        self.siteNames = configuration.sites.map(\.name)
        self.latency = configuration.latency
        self.estimatesTokenLifetime = configuration.estimatesTokenLifetime
        self.faults = FaultInjector(faults: configuration.faults)
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path.split(separator: "/")
        if path.isEmpty, request.method == .get {
            return self.siteIndex()
        }
        guard path.count >= 3, path[0] == "sites", let store = self.stores[String(path[1])] else {
            return DemoHTTPError.noRoute.response()
        }
        if self.latency > .zero {
            // Simulated upstream latency; a cancelled sleep just answers sooner.
            try? await Task.sleep(for: self.latency)
        }
        do throws(DemoHTTPError) {
            switch path[2] {
            case "wp-json":
                return try await self.motoPress(request, store: store, route: path.dropFirst(3))
            case "estimates-api":
                return try await self.estimates(request, store: store, route: path.dropFirst(3))
            default:
                throw DemoHTTPError.noRoute
            }
        } catch {
            return error.response()
        }
    }

    /// `GET /`: the sites and where their APIs live, without credentials.
    private func siteIndex() -> Response {
        var json = JSONWriter()
        json.openObject()
        json.key("sites")
        json.openArray()
        for name in self.siteNames {
            json.openObject()
            json.field("name", name)
            json.field("motopress", "/sites/\(name)/wp-json/mphb/v1/")
            json.field("estimates", "/sites/\(name)/estimates-api/")
            json.closeObject()
        }
        json.closeArray()
        json.closeObject()
        return DemoHTTPResponses.json(body: ByteBuffer(bytes: json.bytes))
    }
}
