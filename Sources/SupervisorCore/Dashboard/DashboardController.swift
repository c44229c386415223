import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `GET /` and `GET /ui/{asset}`: the operator's dashboard, plain HTML, CSS and JavaScript shipped as resources.
///
/// The page holds no secret and needs no key to load; it asks the operator for an API key, keeps it in
/// the tab's session storage and sends it as `X-API-KEY` on every `/api` call (never in a URL).
struct DashboardController: Sendable {
    /// One file of the dashboard, read once at start.
    struct Asset: Sendable {
        var contentType: String
        var body: ByteBuffer
    }

    /// The page's own origin only: no inline script, no third-party code, no framing.
    static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "img-src 'self' data:",
        "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static let files: [(name: String, contentType: String)] = [
        ("index.html", "text/html; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
    ]

    /// The files by name; a file missing from the installation answers `500 internal_error`.
    let assets: [String: Asset]

    init(logger: Logger) {
        var assets: [String: Asset] = [:]
        for file in Self.files {
            do {
                let data = try BundledResources.data("Assets/\(file.name)")
                assets[file.name] = Asset(contentType: file.contentType, body: ByteBuffer(bytes: data))
            } catch {
                logger.warning("dashboard file unavailable", metadata: ["error": "\(error)"])
            }
        }
        self.assets = assets
    }

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/") { _, _ in try respond("index.html") }
        router.get("/ui/:asset") { _, context in
            let name = try context.parameters.require("asset")
            guard name != "index.html", Self.files.contains(where: { $0.name == name }) else {
                throw APIError.notFound("no dashboard file \(name)")
            }
            return try respond(name)
        }
    }

    private func respond(_ name: String) throws -> Response {
        guard let asset = assets[name] else {
            throw APIError.internalError("the dashboard file \(name) is not installed beside the executable")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: asset.contentType,
                .cacheControl: "no-cache",
                .contentSecurityPolicy: Self.contentSecurityPolicy,
                .xContentTypeOptions: "nosniff",
                HTTPField.Name("Referrer-Policy")!: "no-referrer",
            ],
            body: .init(byteBuffer: asset.body)
        )
    }
}
