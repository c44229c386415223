import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Makes every error answer the documented JSON body, whatever threw it: ``APIError``s of the
/// routes, Hummingbird's own `HTTPError`s (an unknown route, a bad parameter), and anything else
/// (a database that went away), which becomes `500 internal_error`.
///
/// Every body names the request's id (`request_id`, and the `X-Request-ID` header); a 5xx is also
/// logged at `error` with that id, so the answer a client saw leads to the log line that explains it.
/// Added first to the router, so it wraps every route and the not-found answer.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error)
            let requestID = APIError.requestID(of: context)
            if apiError.status.kind == .serverError {
                // Not ready is an answer a load balancer polls for, not a fault of the request.
                let level: Logger.Level = apiError.code == .notReady ? .warning : .error
                logger.log(level: level, "request failed", metadata: [
                    "http.request_id": "\(requestID ?? "none")", "http.method": "\(request.method.rawValue)",
                    "http.path": "\(request.uri.path)", "error.code": "\(apiError.code)", "error": "\(error)",
                ])
            }
            return apiError.response(requestID: requestID)
        }
    }

    /// The API error a thrown error answers as.
    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as TenantRegistryError:
            return error.apiError
        case let error as SecretsError:
            // Names tenants and key ids, never a key or a secret.
            return APIError(.internalError, error.description)
        case is NIOTooManyBytesError:
            return APIError(.payloadTooLarge, APIRequestBody.tooLargeMessage)
        case let error as HTTPError:
            return APIError(code(for: error.status), error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            return APIError(code(for: error.status), error.status.reasonPhrase)
        default:
            return APIError(.internalError, "internal error; the supervisor's log has the details under this request_id")
        }
    }

    /// The documented code for a status Hummingbird chose; a status no code has becomes the nearest one.
    static func code(for status: HTTPResponse.Status) -> APIError.Code {
        switch status.code {
        case 401: .unauthorized
        case 403: .forbidden
        case 404, 405: .notFound
        case 413: .payloadTooLarge
        case 400..<500: .badRequest
        default: .internalError
        }
    }
}
