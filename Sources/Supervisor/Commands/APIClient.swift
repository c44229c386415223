import ArgumentParser
import CurlHTTP
import Foundation

/// Options shared by the commands that talk to a running supervisor.
struct APIOptions: ParsableArguments {
    @Option(help: "Base URL of the supervisor's API.")
    var url: String = ProcessInfo.processInfo.environment["TENANTSYNC_URL"] ?? "http://127.0.0.1:8080"

    /// Performs a request against the API and returns the decoded JSON object, or throws with the API's error message.
    func request(_ method: String, _ path: String) throws -> [String: Any] {
        let response: HTTPResponse
        do {
            response = try CurlHTTPClient().perform(HTTPRequest(method: method, url: url + path, headers: [(name: "Accept", value: "application/json")]))
        } catch {
            throw ValidationError("cannot reach the supervisor at \(url): \(error.message)")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        guard (200..<300).contains(response.status) else {
            let message = (object["error"] as? [String: Any])?["message"] as? String ?? "HTTP \(response.status)"
            throw ValidationError(message)
        }
        return object
    }
}
