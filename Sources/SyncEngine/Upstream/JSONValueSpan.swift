/// The kind of a JSON value.
enum JSONValueKind: UInt8, Sendable {
    case object, array, string, number, `true`, `false`, null
}

/// Where one JSON value sits in a buffer, and what kind it is.
struct JSONValueSpan: Sendable, Equatable {
    var kind: JSONValueKind
    /// From the value's first byte to just past its last.
    var range: Range<Int>
}

/// One member of a JSON object: where its name and its value are.
struct JSONMember: Sendable {
    /// The opening quote of the name: the member's text runs from here to the end of its value.
    var start: Int
    /// The name's bytes, without its quotes.
    var key: Range<Int>
    /// Whether the name contains escapes (and so must be decoded before comparing it).
    var keyHasEscapes: Bool
    var value: JSONValueSpan
}

/// Why a buffer is not valid JSON, and where the scanner noticed.
struct JSONScanError: Error, Sendable, CustomStringConvertible {
    var reason: String
    /// Byte offset into the buffer.
    var offset: Int

    var description: String { "\(reason) at byte \(offset)" }
}
