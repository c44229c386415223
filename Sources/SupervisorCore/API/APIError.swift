import Foundation
import HTTPTypes
import Hummingbird

/// An error that reaches an HTTP client: a status, a stable code and a clear message.
///
/// Every route error is mapped to JSON `{"error": {"code": …, "message": …}}` here, in one place.
/// The codes are a closed set (``Code``), each with its one status, so docs/api.md's error table
/// and the code cannot drift (a test compares them).
public struct APIError: Error, HTTPResponseError, Sendable {
    /// A stable, machine-readable reason, with the HTTP status it always comes with.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, CaseIterable {
            case invalidDate = "invalid_date"
            case invalidDateRange = "invalid_date_range"
            case badRequest = "bad_request"
            case unauthorized
            case forbidden
            case notFound = "not_found"
            case tenantDisabled = "tenant_disabled"
            case noTenants = "no_tenants"
            case runFinished = "run_finished"
            case tenantRemote = "tenant_remote"
            case payloadTooLarge = "payload_too_large"
            case internalError = "internal_error"
            case notReady = "not_ready"
            case versionMismatch = "version_mismatch"
            case invalidSettings = "invalid_settings"
            case unknownConnector = "unknown_connector"
            case workerNotReady = "worker_not_ready"
            case connectionFailed = "connection_failed"
        }

        private let value: Value

        /// A date parameter is not a real date written `YYYY-MM-DD`.
        public static let invalidDate = Code(value: .invalidDate)
        /// `end_date` is before `start_date`.
        public static let invalidDateRange = Code(value: .invalidDateRange)
        /// Another bad parameter or a malformed body.
        public static let badRequest = Code(value: .badRequest)
        /// No API key, or an unknown one.
        public static let unauthorized = Code(value: .unauthorized)
        /// The key may not do this (a tenant-scoped key elsewhere).
        public static let forbidden = Code(value: .forbidden)
        /// No such tenant or run.
        public static let notFound = Code(value: .notFound)
        /// Syncing or starting a disabled tenant.
        public static let tenantDisabled = Code(value: .tenantDisabled)
        /// A sync of all tenants with none enabled.
        public static let noTenants = Code(value: .noTenants)
        /// Cancelling a run that has ended or whose outcome is decided.
        public static let runFinished = Code(value: .runFinished)
        /// Controlling a tenant whose worker another supervisor holds.
        public static let tenantRemote = Code(value: .tenantRemote)
        /// A request body over ``APIRequestBody/limit``.
        public static let payloadTooLarge = Code(value: .payloadTooLarge)
        /// Anything unexpected; the log has the details.
        public static let internalError = Code(value: .internalError)
        /// `GET /ready`: the supervisor cannot do its work now (database, migrations, leases).
        public static let notReady = Code(value: .notReady)
        /// `If-Match` names a version of the tenant that is not its current one (or the tenant is gone).
        public static let versionMismatch = Code(value: .versionMismatch)
        /// The tenant's connector refuses its settings; `field` names the setting.
        public static let invalidSettings = Code(value: .invalidSettings)
        /// The tenant names a connector this build does not have.
        public static let unknownConnector = Code(value: .unknownConnector)
        /// A connection test asked of a tenant whose worker is not running here and ready.
        public static let workerNotReady = Code(value: .workerNotReady)
        /// The tenant's connection test failed: the upstream refused the credentials, or could not be reached.
        public static let connectionFailed = Code(value: .connectionFailed)

        /// Every code, for documentation and tests.
        public static var all: [Code] { Value.allCases.map { Code(value: $0) } }

        /// The code as it appears in the JSON body.
        public var description: String { value.rawValue }

        /// The status every error with this code has.
        public var status: HTTPResponse.Status {
            switch value {
            case .invalidDate, .invalidDateRange, .badRequest: .badRequest
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .tenantDisabled, .noTenants, .runFinished, .tenantRemote, .workerNotReady: .conflict
            case .payloadTooLarge: .contentTooLarge
            case .internalError: .internalServerError
            case .notReady: .serviceUnavailable
            case .versionMismatch: .preconditionFailed
            case .invalidSettings, .unknownConnector: .unprocessableContent
            case .connectionFailed: .badGateway
            }
        }
    }

    public var code: Code
    public var message: String
    /// The field of the request the error is about (`settings.per_page`), when it is about one.
    public var field: String?

    public var status: HTTPResponse.Status { code.status }

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    public static func forbidden(_ message: String) -> APIError { APIError(.forbidden, message) }
    public static func conflict(_ code: Code, _ message: String) -> APIError { APIError(code, message) }
    public static func internalError(_ message: String) -> APIError { APIError(.internalError, message) }

    /// The JSON body every error has.
    struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            /// The request field the error is about, if any.
            var field: String?
            /// The request's id, also in the supervisor's log line for a 5xx.
            var requestID: String?

            enum CodingKeys: String, CodingKey {
                case code, message, field
                case requestID = "request_id"
            }
        }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(requestID: Self.requestID(of: context))
    }

    /// The error as its JSON response, naming `requestID` (also sent as `X-Request-ID`).
    func response(requestID: String?) -> Response {
        let body = Body(error: .init(code: code.description, message: message, field: field, requestID: requestID))
        let data = (try? APIJSON.encoder.encode(body)) ?? Data(#"{"error":{"code":"internal_error","message":"internal error"}}"#.utf8)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let requestID { headers[Self.requestIDHeader] = requestID }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `X-Request-ID`: the id of the request an error answers.
    static let requestIDHeader = HTTPField.Name("X-Request-ID")!

    /// The id Hummingbird gave the request (its logger's `hb.request.id`).
    static func requestID(of context: some RequestContext) -> String? {
        context.logger[metadataKey: "hb.request.id"].map { "\($0)" }
    }
}
