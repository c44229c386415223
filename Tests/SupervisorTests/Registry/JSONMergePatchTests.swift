import Foundation
@testable import SupervisorCore
import Testing

@Suite("JSON merge patch (RFC 7396)")
struct JSONMergePatchTests {
    static func tree(_ json: String) throws -> JSONTree {
        try JSONDecoder().decode(JSONTree.self, from: Data(json.utf8))
    }

    @Test("objects merge key by key, null removes, anything else replaces whole", arguments: [
        (#"{"a": 1, "s": {"x": "1", "y": "2"}}"#, #"{"s": {"y": null, "z": 3}}"#, #"{"a": 1, "s": {"x": "1", "z": 3}}"#),
        (#"{"a": [1, 2]}"#, #"{"a": [3]}"#, #"{"a": [3]}"#),
        (#"{"a": "text"}"#, #"{"a": {"b": 1, "c": null}}"#, #"{"a": {"b": 1}}"#),
        (#"{"a": 1}"#, #"{}"#, #"{"a": 1}"#),
        (#"{"a": 1}"#, #"{"a": null, "b": true}"#, #"{"b": true}"#),
    ])
    func merges(target: String, patch: String, expected: String) throws {
        #expect(JSONMergePatch.apply(try Self.tree(patch), to: try Self.tree(target)) == (try Self.tree(expected)))
    }

    @Test("a tree written back is the JSON it was read from: integers stay integers, booleans booleans")
    func roundTrip() throws {
        let tree = try Self.tree(#"{"n": 50, "f": 1.5, "b": true, "s": "x", "l": [null]}"#)
        #expect(try JSONDecoder().decode(JSONTree.self, from: JSONEncoder().encode(tree)) == tree)
        #expect(String(decoding: try JSONEncoder().encode(JSONTree.integer(50)), as: UTF8.self) == "50")
    }
}
