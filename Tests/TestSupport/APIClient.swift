import CurlHTTP
import Foundation
import Support

/// A small JSON client for the supervisor's API in tests, over real HTTP.
///
/// Sends ``defaultAPIKey`` (which the test configurations accept) in `X-API-KEY` unless told otherwise.
public struct APIClient: Sendable {
    /// The API key every test supervisor accepts for all tenants.
    public static let defaultAPIKey = "test-api-key-all-tenants"

    public let baseURL: String
    /// Sent as `X-API-KEY`; `nil` sends none.
    public let apiKey: String?

    public init(port: Int, apiKey: String? = APIClient.defaultAPIKey) {
        baseURL = "http://127.0.0.1:\(port)"
        self.apiKey = apiKey
    }

    /// The same server, with another key (or none).
    public func with(apiKey: String?) -> APIClient {
        APIClient(baseURL: baseURL, apiKey: apiKey)
    }

    private init(baseURL: String, apiKey: String?) {
        self.baseURL = baseURL
        self.apiKey = apiKey
    }

    /// Performs a request (with `json` as its body, if given) and returns the status and the body.
    public func request(
        _ method: String, _ path: String, json body: String? = nil, headers: [(name: String, value: String)] = [],
        timeout: Duration = .seconds(60)
    ) async throws -> APIResponse {
        var headers = headers
        if body != nil { headers.append((name: "Content-Type", value: "application/json")) }
        if let apiKey { headers.append((name: "X-API-KEY", value: apiKey)) }
        let request = HTTPRequest(method: method, url: baseURL + path, headers: headers, body: body.map { Array($0.utf8) }, timeout: timeout)
        let response = try await offPool { try CurlHTTPClient().perform(request) }
        return APIResponse(response: response)
    }

    /// Performs a request and decodes its answer as `type`, whatever the status; see ``APIResponse/decode(_:)``.
    public func decode<Answer: Decodable>(
        _ type: Answer.Type, _ method: String, _ path: String, json body: String? = nil, headers: [(name: String, value: String)] = []
    ) async throws -> Answer {
        try await request(method, path, json: body, headers: headers).decode(type)
    }
}

/// A response from the API with its body decoded as a JSON object.
public struct APIResponse: @unchecked Sendable {
    public let response: HTTPResponse
    public var status: Int { response.status }
    public var headers: HTTPResponse { response }
    /// The body as a JSON object; empty when the body is not one. For answers without a type of
    /// their own, such as error bodies; the others are read with ``decode(_:)``.
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    /// The body decoded as `type`, the `Codable` answer the API sends; the error names the status and the body.
    public func decode<Answer: Decodable>(_ type: Answer.Type) throws -> Answer {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw TestSupportError("answer \(status) is not a \(type): \(error); body: \(response.bodyText.prefix(500))")
        }
    }
}
