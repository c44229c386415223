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

    /// Performs a request and returns the status and the decoded JSON object (empty if none).
    public func request(
        _ method: String, _ path: String, headers: [(name: String, value: String)] = [], timeout: Duration = .seconds(60)
    ) async throws -> APIResponse {
        var headers = headers
        if let apiKey { headers.append((name: "X-API-KEY", value: apiKey)) }
        let request = HTTPRequest(method: method, url: baseURL + path, headers: headers, timeout: timeout)
        let response = try await offPool { try CurlHTTPClient().perform(request) }
        return APIResponse(response: response)
    }

    /// Polls a run until it leaves `queued`/`running`, failing at the deadline.
    public func waitForRun(_ runID: String, timeout: Duration = .seconds(60)) async throws -> [String: Any] {
        try await eventually(timeout: timeout, "run \(runID) to finish") {
            let run = try await request("GET", "/api/runs/\(runID)").json
            let status = run["status"] as? String ?? ""
            return ["queued", "running"].contains(status) ? nil : run
        }
    }
}

/// A response from the API with its body decoded as a JSON object.
public struct APIResponse: @unchecked Sendable {
    public let response: HTTPResponse
    public var status: Int { response.status }
    public var headers: HTTPResponse { response }
    /// The body as a JSON object; empty when the body is not one.
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }
}
