import Hummingbird

/// Builders for the responses every route shares.
enum DemoHTTPResponses {
    /// A JSON response with the content type WordPress sends.
    static func json(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], body: ByteBuffer) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=UTF-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
