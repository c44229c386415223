import Hummingbird

/// An error answered to an HTTP client, and the one place that turns it into a status and JSON body.
///
/// MotoPress routes answer WordPress-style errors, `{"code", "message", "data": {"status", …}}`;
/// the estimates API answers `{"error", "message"}`.
struct DemoHTTPError: Error, Sendable {
    /// Which API's error shape to answer with.
    enum Style: Sendable {
        case wordPress
        case estimates
    }

    /// One invalid request parameter, for WordPress's `rest_invalid_param`.
    struct InvalidParameter: Sendable {
        var name: String
        var code: String
        var message: String
    }

    var status: HTTPResponse.Status
    var code: String
    var message: String
    var style: Style
    var invalidParameters: [InvalidParameter] = []
    /// Sent as `Retry-After` when set (an injected 429).
    var retryAfterSeconds: Int?

    /// WordPress's answer to a path or method it has no route for; also used for unknown sites.
    static let noRoute = DemoHTTPError(
        status: .notFound, code: "rest_no_route",
        message: "No route was found matching the URL and request method.", style: .wordPress
    )

    /// A request without credentials, refused by the endpoint's permission check.
    static let cannotList = DemoHTTPError(
        status: .unauthorized, code: "mphb_rest_cannot_view", message: "Sorry, you cannot list resources.",
        style: .wordPress
    )

    /// No record with the requested id.
    static let invalidID = DemoHTTPError(status: .notFound, code: "mphb_rest_invalid_id", message: "Invalid ID.", style: .wordPress)

    /// A failure injected by ``DemoUpstreamFaults``.
    static let injectedFault = DemoHTTPError(
        status: .internalServerError, code: "internal_server_error",
        message: "There has been a critical error on this website.", style: .wordPress
    )

    /// Credentials that were given but are wrong.
    static func authentication(_ message: String) -> DemoHTTPError {
        DemoHTTPError(status: .unauthorized, code: "mphb_rest_authentication_error", message: message, style: .wordPress)
    }

    /// One or more invalid query parameters.
    static func invalidParameters(_ parameters: [InvalidParameter]) -> DemoHTTPError {
        DemoHTTPError(
            status: .badRequest, code: "rest_invalid_param",
            message: "Invalid parameter(s): " + parameters.map(\.name).joined(separator: ", "),
            style: .wordPress, invalidParameters: parameters
        )
    }

    /// An estimates API error.
    static func estimates(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> DemoHTTPError {
        DemoHTTPError(status: status, code: code, message: message, style: .estimates)
    }

    /// The response a client sees.
    func response() -> Response {
        var json = JSONWriter()
        json.openObject()
        switch self.style {
        case .wordPress:
            json.field("code", self.code)
            json.field("message", self.message)
            json.key("data")
            json.openObject()
            json.field("status", Int(self.status.code))
            if !self.invalidParameters.isEmpty {
                json.key("params")
                json.openObject()
                for parameter in self.invalidParameters {
                    json.writeDynamicKey(parameter.name)
                    json.string(parameter.message)
                }
                json.closeObject()
                json.key("details")
                json.openObject()
                for parameter in self.invalidParameters {
                    json.writeDynamicKey(parameter.name)
                    json.openObject()
                    json.field("code", parameter.code)
                    json.field("message", parameter.message)
                    json.key("data")
                    json.null()
                    json.closeObject()
                }
                json.closeObject()
            }
            json.closeObject()
        case .estimates:
            json.field("error", self.code)
            json.field("message", self.message)
        }
        json.closeObject()
        var headers: HTTPFields = [:]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return DemoHTTPResponses.json(status: self.status, headers: headers, body: ByteBuffer(bytes: json.bytes))
    }
}
