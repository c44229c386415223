import Foundation
import NIOCore

/// The HTTP API's contract: `openapi.json`, shipped as a resource, and the same document as YAML.
///
/// The JSON file in the repository is the source; conformance of the routes to it is proven by
/// `scripts/conformance.sh` (schemathesis against a live supervisor).
struct OpenAPIDocument: Sendable {
    /// The file exactly as shipped.
    let json: ByteBuffer
    /// The same document as YAML, written once at start.
    let yaml: ByteBuffer

    /// OpenAPI's customary key order, so the YAML reads like a hand-written document.
    static let keyOrder = [
        "openapi", "info", "jsonSchemaDialect", "servers", "security", "tags", "paths", "webhooks", "components",
        "name", "in", "title", "version", "summary", "operationId", "description", "required", "type",
        "parameters", "requestBody", "responses", "headers", "content", "schema", "example", "examples", "links",
    ]

    /// The shipped document, read once per process: it never changes while the process runs, and
    /// every supervisor of the process serves the same one.
    static let shipped = Result { try load() }

    /// Reads the shipped document; throws when the resource is missing or is not JSON.
    private static func load() throws -> OpenAPIDocument {
        let data = try BundledResources.data("openapi.json")
        let tree = try JSONDecoder().decode(JSONTree.self, from: data)
        let yaml = YAMLEmitter(keyOrder: keyOrder).yaml(tree)
        return OpenAPIDocument(json: ByteBuffer(bytes: data), yaml: ByteBuffer(string: yaml))
    }
}
