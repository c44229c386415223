import Foundation
import Hummingbird
import SupervisorCore
import Testing
import TestSupport

@testable import SupervisorCore

@Suite("OpenAPI document: the contract, served open, naming every route")
struct OpenAPIDocumentTests {
    private static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// `METHOD /path` of every operation of the document.
    private static func operations(_ document: [String: Any]) -> Set<String> {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return Set(paths.flatMap { path, item in
            item.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
        })
    }

    private static func shippedDocument() throws -> [String: Any] {
        let data = try Repository.file("Sources/SupervisorCore/Observability/openapi.json")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("every route the supervisor registers is an operation of the document, and every operation is a route")
    func routesAndOperationsMatch() async throws {
        try await TestDatabase.withDatabase(migrated: false) { url in
            var configuration = SupervisorConfiguration(databaseURL: url, port: 0, tenants: [])
            configuration.workerPath = try Binaries.path(of: "tenantsync-worker")
            let app = try await SupervisorApp(configuration: configuration, logger: SupervisorTestHarness.quietLogger())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.run() }
                await app.shutdown()
                try await group.waitForAll()
            }
            let served = Set(app.routes)
            let documented = Self.operations(try Self.shippedDocument())
            #expect(served.subtracting(documented).sorted() == [], "routes missing from openapi.json")
            #expect(documented.subtracting(served).sorted() == [], "operations in openapi.json that no route serves")
            #expect(served.contains("POST /api/tenants/{tenant}/sync"))
        }
    }

    @Test("GET /openapi.json serves the shipped file and /openapi.yaml the same document, both without a key")
    func served() async throws {
        let router = Router(context: APIRequestContext.self)
        OpenAPIController(logger: SupervisorTestHarness.quietLogger()).addRoutes(to: router)
        try await withRouterServer(router) { client in
            let json = try await client.request("GET", "/openapi.json")
            #expect(json.status == 200)
            #expect(json.response.header("Content-Type") == "application/json; charset=utf-8")
            #expect(Data(json.response.body) == (try Repository.file("Sources/SupervisorCore/Observability/openapi.json")))
            #expect(json.json["openapi"] as? String == "3.1.0")

            let yaml = try await client.request("GET", "/openapi.yaml")
            #expect(yaml.status == 200)
            #expect(yaml.response.header("Content-Type") == "application/yaml; charset=utf-8")
            let lines = yaml.response.bodyText.split(separator: "\n").map(String.init)
            #expect(lines.first == #""openapi": "3.1.0""#)
            // Every path sits under `paths:` at the second level, as YAML writes the JSON's keys.
            let paths = try #require(try Self.shippedDocument()["paths"] as? [String: Any]).keys
            for path in paths {
                #expect(lines.contains("  \"\(path)\":"), "path \(path) missing from the YAML")
            }
        }
    }

    @Test("the document names every error code the API uses and the X-API-KEY scheme")
    func errorCodesAndSecurity() throws {
        let document = try Self.shippedDocument()
        let components = try #require(document["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        let error = try #require(schemas["Error"] as? [String: Any])
        let properties = try #require(error["properties"] as? [String: Any])
        let inner = try #require((properties["error"] as? [String: Any])?["properties"] as? [String: Any])
        let codes = Set(try #require((inner["code"] as? [String: Any])?["enum"] as? [String]))
        // Every code an APIError is built with in the sources, found by reading them.
        let sources = try FileManager.default.subpathsOfDirectory(atPath: Repository.root.appendingPathComponent("Sources/SupervisorCore").path)
            .filter { $0.hasSuffix(".swift") }
            .map { try String(contentsOf: Repository.root.appendingPathComponent("Sources/SupervisorCore/\($0)"), encoding: .utf8) }
            .joined()
        let pattern = /code: "([a-z_]+)"|conflict\("([a-z_]+)"/
        var used = Set(sources.matches(of: pattern).compactMap { match in match.output.1.map(String.init) ?? match.output.2.map(String.init) })
        used.formUnion(["not_found", "bad_request", "forbidden", "internal_error"])
        #expect(used.subtracting(codes).sorted() == [], "error codes missing from the document")

        let security = try #require(components["securitySchemes"] as? [String: [String: Any]])
        #expect(security["apiKey"]?["in"] as? String == "header")
        #expect(security["apiKey"]?["name"] as? String == "X-API-KEY")
    }
}
