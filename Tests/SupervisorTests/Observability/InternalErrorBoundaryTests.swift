import Foundation
import Hummingbird
import Testing
import TestSupport

@testable import SupervisorCore

@Suite("Internal error boundary: unexpected errors answer the documented JSON 500")
struct InternalErrorBoundaryTests {
    private struct DatabaseTrouble: Error, CustomStringConvertible {
        var description: String { "connection to postgresql://user:hunter2@db failed" }
    }

    @Test("an error no route mapped answers 500 internal_error without its text; API errors keep their status")
    func unexpectedErrors() async throws {
        let router = Router(context: APIRequestContext.self)
        router.get("/boom") { _, _ -> String in throw DatabaseTrouble() }
        router.get("/missing") { _, _ -> String in throw APIError.notFound("no tenant hotel-z") }
        router.get("/fine") { _, _ in "fine" }
        try await withRouterServer(router) { client in
            let boom = try await client.request("GET", "/boom")
            #expect(boom.status == 500)
            #expect(boom.response.header("Content-Type")?.hasPrefix("application/json") == true)
            let error = try #require(boom.json["error"] as? [String: Any])
            #expect(error["code"] as? String == "internal_error")
            #expect(!boom.response.bodyText.contains("hunter2"))
            #expect(!boom.response.bodyText.contains("postgresql"))

            let missing = try await client.request("GET", "/missing")
            #expect(missing.status == 404)
            #expect((missing.json["error"] as? [String: Any])?["code"] as? String == "not_found")
            #expect(try await client.request("GET", "/fine").response.bodyText == "fine")
        }
    }
}
