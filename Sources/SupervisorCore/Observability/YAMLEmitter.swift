/// Writes a ``JSONTree`` as block-style YAML 1.2.
///
/// Every string and key is written double-quoted with JSON's escapes, which YAML reads the same way, so
/// no value can turn into another type (`"yes"`, `"1.0"`, `"null"` stay strings). Keys listed in
/// `keyOrder` come first, in that order, wherever they appear; the rest follow alphabetically.
struct YAMLEmitter {
    var keyOrder: [String] = []

    func yaml(_ tree: JSONTree) -> String {
        var lines: [String] = []
        emit(tree, indent: 0, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private func emit(_ tree: JSONTree, indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        switch tree {
        case .object(let object) where !object.isEmpty:
            for key in orderedKeys(object) {
                let child = object[key]!
                guard child.isBlock else {
                    lines.append("\(pad)\(Self.quoted(key)): \(Self.scalar(child))")
                    continue
                }
                lines.append("\(pad)\(Self.quoted(key)):")
                // A sequence may sit at its key's indentation; a mapping goes one level in.
                emit(child, indent: indent + (child.isArray ? 0 : 2), into: &lines)
            }
        case .array(let array) where !array.isEmpty:
            for element in array {
                guard element.isBlock else {
                    lines.append("\(pad)- \(Self.scalar(element))")
                    continue
                }
                // The element's first line follows the dash; its other lines line up under it.
                var nested: [String] = []
                emit(element, indent: indent + 2, into: &nested)
                lines.append("\(pad)- " + nested.removeFirst().dropFirst(indent + 2))
                lines.append(contentsOf: nested)
            }
        default:
            lines.append(pad + Self.scalar(tree))
        }
    }

    private func orderedKeys(_ object: [String: JSONTree]) -> [String] {
        let first = keyOrder.filter { object[$0] != nil }
        let known = Set(first)
        return first + object.keys.filter { !known.contains($0) }.sorted()
    }

    /// A flow scalar: `null`, `true`/`false`, a number, a quoted string, or `{}`/`[]` when empty.
    static func scalar(_ tree: JSONTree) -> String {
        switch tree {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .number(let value): value.isFinite ? String(value) : ".nan"
        case .string(let value): quoted(value)
        case .array: "[]"
        case .object: "{}"
        }
    }

    /// `text` as a double-quoted scalar with JSON's escapes, which YAML 1.2 reads the same way.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension JSONTree {
    /// Whether the value is written as an indented block: a non-empty mapping or sequence.
    fileprivate var isBlock: Bool {
        switch self {
        case .object(let object): !object.isEmpty
        case .array(let array): !array.isEmpty
        default: false
        }
    }

    fileprivate var isArray: Bool {
        if case .array = self { true } else { false }
    }
}
