import Hummingbird
import Logging

/// Wraps the router so that an error no route mapped to an ``APIError`` still answers the documented
/// `500 {"error": {"code": "internal_error", …}}`, and is logged, instead of Hummingbird's empty 500 that
/// it logs only at debug level.
///
/// The client gets a fixed message; the error itself (whose description never holds a secret) goes to
/// the supervisor's log with the request's method and path.
struct InternalErrorBoundary<Router: HTTPResponderBuilder>: HTTPResponderBuilder
where Router.Responder.Context: RequestContext {
    let router: Router
    let logger: Logger

    init(_ router: Router, logger: Logger) {
        self.router = router
        self.logger = logger
    }

    func buildResponder() -> Responder {
        Responder(wrapped: router.buildResponder(), logger: logger)
    }

    struct Responder: HTTPResponder {
        let wrapped: Router.Responder
        let logger: Logger

        func respond(to request: Request, context: Router.Responder.Context) async throws -> Response {
            do {
                return try await wrapped.respond(to: request, context: context)
            } catch let error as any HTTPResponseError {
                return try error.response(from: request, context: context)
            } catch let error as CancellationError {
                throw error // the supervisor is stopping: nothing to report
            } catch {
                logger.error("request failed", metadata: [
                    "http.method": "\(request.method)", "http.path": "\(request.uri.path)", "error": "\(error)",
                ])
                return try APIError.internalError("the request failed; the supervisor's log has details")
                    .response(from: request, context: context)
            }
        }
    }
}
