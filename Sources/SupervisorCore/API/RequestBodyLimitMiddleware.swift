import Hummingbird

/// Answers every request that declares a body over ``APIRequestBody/limit`` with `413 payload_too_large`,
/// whether or not its route reads a body.
///
/// Routes that read a body enforce the limit as they read (``APIRequestBody/collect(_:)``); a route that
/// reads none (`POST /api/sync`, a cancel) would otherwise act on the request and answer `2xx`, as if the
/// limit did not apply to it. The body is drained first, like the routes' own 413, so a client that sends
/// it whole before reading still sees the answer. Sits inside ``APIErrorMiddleware``, which words the JSON.
struct RequestBodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > APIRequestBody.limit {
            // Throws payload_too_large once it has read past the limit (at once when over the drain limit).
            _ = try await APIRequestBody.collect(request)
            throw APIError(.payloadTooLarge, APIRequestBody.tooLargeMessage)
        }
        return try await next(request, context)
    }
}
