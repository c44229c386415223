import CurlHTTP
import Foundation

/// A small JSON client for the supervisor's API in tests, over real HTTP.
public struct APIClient: Sendable {
    public let baseURL: String

    public init(port: Int) {
        baseURL = "http://127.0.0.1:\(port)"
    }

    /// Performs a request and returns the status and the decoded JSON object (empty if none).
    public func request(_ method: String, _ path: String, headers: [(name: String, value: String)] = []) async throws -> APIResponse {
        let request = HTTPRequest(method: method, url: baseURL + path, headers: headers)
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
