/// A JSON document as a tree of values, read with `JSONDecoder`, for re-emitting in another notation.
///
/// Integers stay integers (`487`, not `487.0`) and booleans stay booleans, which `JSONSerialization`'s
/// `NSNumber`s do not tell apart reliably across platforms.
enum JSONTree: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONTree])
    case object([String: JSONTree])

    /// Tries the kinds in the order they are most common in the documents read here (strings, then
    /// objects), so a leaf costs at most a few failed attempts: a failed attempt throws, and a test
    /// process capturing a backtrace for every thrown error made the shipped API document cost half a
    /// second of a core in the old order (booleans and numbers first).
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONTree].self) {
            self = .object(value)
        } else if let value = try? container.decode([JSONTree].self) {
            self = .array(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }
}
