import Foundation
import Testing

@testable import SupervisorCore

@Suite("YAML emitter")
struct YAMLEmitterTests {
    private func tree(_ json: String) throws -> JSONTree {
        try JSONDecoder().decode(JSONTree.self, from: Data(json.utf8))
    }

    @Test("mappings nest by two spaces, sequences sit at their key's indentation, listed keys come first")
    func blockLayout() throws {
        let yaml = YAMLEmitter(keyOrder: ["openapi"]).yaml(try tree("""
            {"paths": {"/a": {"get": {"tags": ["x", "y"]}}}, "openapi": "3.1.0",
             "list": [{"b": 1, "a": [true, null]}, [], {}], "empty": {}}
            """))
        #expect(yaml == """
            "openapi": "3.1.0"
            "empty": {}
            "list":
            - "a":
              - true
              - null
              "b": 1
            - []
            - {}
            "paths":
              "/a":
                "get":
                  "tags":
                  - "x"
                  - "y"

            """)
    }

    @Test("strings that YAML would read as other types stay quoted; control characters are escaped")
    func quoting() throws {
        let yaml = YAMLEmitter().yaml(try tree(#"["yes", "1.0", "null", "a \"b\" \\ c\nd\te", "\u0001\u0085", 2.5, 7, false]"#))
        #expect(yaml == #"""
            - "yes"
            - "1.0"
            - "null"
            - "a \"b\" \\ c\nd\te"
            - "\u0001\u0085"
            - 2.5
            - 7
            - false

            """#)
    }

    @Test("integers and booleans keep their type through JSONTree")
    func scalarTypes() throws {
        #expect(try tree("[1, 1.5, true, \"1\"]") == .array([.integer(1), .number(1.5), .bool(true), .string("1")]))
    }
}
