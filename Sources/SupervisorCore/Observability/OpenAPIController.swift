import Hummingbird
import Logging

/// `GET /openapi.json` and `GET /openapi.yaml`: the API's contract, open like `/health`.
struct OpenAPIController: Sendable {
    /// The document; `nil` when the resource is missing, and then both routes answer `500 internal_error`.
    let document: OpenAPIDocument?

    init(logger: Logger) {
        do {
            document = try OpenAPIDocument.shipped.get()
        } catch {
            logger.warning("OpenAPI document unavailable", metadata: ["error": "\(error)"])
            document = nil
        }
    }

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/openapi.json") { _, _ in
            try respond(document?.json, contentType: "application/json; charset=utf-8")
        }
        router.get("/openapi.yaml") { _, _ in
            try respond(document?.yaml, contentType: "application/yaml; charset=utf-8")
        }
    }

    private func respond(_ body: ByteBuffer?, contentType: String) throws -> Response {
        guard let body else { throw APIError.internalError("the OpenAPI document is not installed beside the executable") }
        // Any origin may read it: API tools in a browser import the contract from here.
        return Response(
            status: .ok,
            headers: [.contentType: contentType, .cacheControl: "no-cache", .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: body)
        )
    }
}
