import HTTPTypes
import Hummingbird

/// Requires a valid `X-API-KEY` on every route it wraps; a tenant-scoped key gets 403 on other tenants' routes.
///
/// Routes with a `:tenant` parameter are checked here; routes that reach tenants another way (runs)
/// check the principal themselves through ``APIKeyAuthenticator/principal(of:)``.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: APIKeyAuthenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let principal = try authenticator.principal(of: request)
        if let tenantID = context.parameters.get("tenant"), !principal.may(use: tenantID) {
            throw APIError.forbidden("this API key may not use tenant \(tenantID)")
        }
        return try await next(request, context)
    }
}

extension APIKeyAuthenticator {
    static let headerName = HTTPField.Name("X-API-KEY")!

    /// The principal of the request's key; throws 401 when the key is missing or wrong.
    func principal(of request: Request) throws -> Principal {
        guard let presented = request.headers[Self.headerName], !presented.isEmpty else {
            throw APIError(.unauthorized, "missing X-API-KEY header")
        }
        guard let principal = authenticate(presented) else {
            throw APIError(.unauthorized, "invalid API key")
        }
        return principal
    }
}
