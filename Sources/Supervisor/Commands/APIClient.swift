import ArgumentParser
import CurlHTTP
import Foundation

/// Options shared by the commands that talk to a running supervisor.
struct APIOptions: ParsableArguments {
    @Option(help: "Base URL of the supervisor's API.")
    var url: String = ProcessInfo.processInfo.environment["TENANTSYNC_URL"] ?? "http://127.0.0.1:8080"

    // No default shown in --help: the key must never be printed.
    @Option(name: .customLong("api-key"), help: "API key sent as X-API-KEY (default: $TENANTSYNC_API_KEY).")
    var apiKey: String?

    /// The key from `--api-key` or `TENANTSYNC_API_KEY`.
    var resolvedAPIKey: String? {
        apiKey ?? ProcessInfo.processInfo.environment["TENANTSYNC_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Performs a request against the API and returns the decoded JSON object, or throws with the API's error message.
    func request(_ method: String, _ path: String) throws -> [String: Any] {
        try request(method, path, body: nil)
    }

    /// Performs a request with a JSON `body` and extra `headers`, and returns the decoded JSON object.
    func request(_ method: String, _ path: String, body: Data?, headers: [(name: String, value: String)] = []) throws -> [String: Any] {
        let response = try perform(method, path, body: body, headers: headers)
        return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    /// Performs a request and decodes the answer into the type the API sends.
    func decode<Answer: Decodable>(_ type: Answer.Type, _ method: String, _ path: String) throws -> Answer {
        let response = try perform(method, path)
        do {
            return try JSONDecoder().decode(Answer.self, from: Data(response.body))
        } catch {
            throw ValidationError("the supervisor at \(url) answered \(method) \(path) with something this version cannot read: \(error)")
        }
    }

    /// Performs a request; a status other than 2xx throws with the API's error message (and the field it names).
    private func perform(_ method: String, _ path: String, body: Data? = nil, headers extra: [(name: String, value: String)] = []) throws -> HTTPResponse {
        let response: HTTPResponse
        do {
            var headers: [(name: String, value: String)] = [(name: "Accept", value: "application/json")]
            if body != nil { headers.append((name: "Content-Type", value: "application/json")) }
            if let key = resolvedAPIKey { headers.append((name: "X-API-KEY", value: key)) }
            response = try CurlHTTPClient().perform(HTTPRequest(method: method, url: url + path, headers: headers + extra, body: body.map { Array($0) }))
        } catch {
            throw ValidationError("cannot reach the supervisor at \(url): \(error.message)")
        }
        guard (200..<300).contains(response.status) else {
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
            let error = object["error"] as? [String: Any]
            let message = error?["message"] as? String ?? "HTTP \(response.status)"
            throw ValidationError((error?["field"] as? String).map { "\($0): \(message)" } ?? message)
        }
        return response
    }
}
