/// A validating JSON scanner that finds where values are in a byte buffer without building them.
///
/// Upstream pages are stored as they came (`jsonb` normalises them), so the worker only needs to
/// know where each record starts and ends and read a handful of fields. Scanning is strict RFC 8259:
/// anything Foundation's parser would refuse (bad escapes, control characters in strings, invalid
/// UTF-8, trailing garbage, nesting deeper than ``maximumDepth``) is refused here too.
struct JSONScanner {
    /// Nesting deeper than this is refused rather than risking the stack.
    static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    private var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// Scans the single value that makes up the whole buffer (surrounding whitespace allowed).
    mutating func scanDocument() throws(JSONScanError) -> JSONValueSpan {
        let value = try scanValue()
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected data after the JSON value") }
        return value
    }

    /// Scans one value at the current position and returns where it is.
    mutating func scanValue() throws(JSONScanError) -> JSONValueSpan {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of data") }
        let start = position
        let kind: JSONValueKind
        switch bytes[position] {
        case UInt8(ascii: "{"):
            kind = .object
            _ = try scanObject { _ throws(JSONScanError) in }
        case UInt8(ascii: "["):
            kind = .array
            _ = try scanArray { scanner throws(JSONScanError) in _ = try scanner.scanValue() }
        case UInt8(ascii: "\""):
            kind = .string
            _ = try scanString()
        case UInt8(ascii: "t"):
            kind = .true
            try scanLiteral("true")
        case UInt8(ascii: "f"):
            kind = .false
            try scanLiteral("false")
        case UInt8(ascii: "n"):
            kind = .null
            try scanLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            kind = .number
            try scanNumber()
        default:
            throw error("unexpected character")
        }
        return JSONValueSpan(kind: kind, range: start..<position)
    }

    /// Scans an object at the current position, recording its members (not their insides).
    mutating func scanObjectMembers() throws(JSONScanError) -> (span: JSONValueSpan, members: [JSONMember]) {
        var members: [JSONMember] = []
        members.reserveCapacity(24)
        let span = try scanObject { member throws(JSONScanError) in members.append(member) }
        return (span, members)
    }

    /// Moves to `position`, such as the start of a member's value found earlier.
    mutating func move(to position: Int) {
        self.position = position
    }

    /// The byte at the current position, if any.
    var currentByte: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// Whether only whitespace is left.
    mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }

    /// Scans an array at the current position, returning each element's span, and the members of
    /// each element that is an object.
    mutating func scanArrayOfObjects() throws(JSONScanError) -> [(span: JSONValueSpan, members: [JSONMember]?)] {
        var elements: [(span: JSONValueSpan, members: [JSONMember]?)] = []
        elements.reserveCapacity(100)
        _ = try scanArray { scanner throws(JSONScanError) in
            if scanner.currentByte == UInt8(ascii: "{") {
                let object = try scanner.scanObjectMembers()
                elements.append((object.span, object.members))
            } else {
                elements.append((try scanner.scanValue(), nil))
            }
        }
        return elements
    }

    /// Scans an array at the current position, returning each element's span.
    mutating func scanArrayElements() throws(JSONScanError) -> (span: JSONValueSpan, elements: [JSONValueSpan]) {
        var elements: [JSONValueSpan] = []
        let span = try scanArray { scanner throws(JSONScanError) in elements.append(try scanner.scanValue()) }
        return (span, elements)
    }

    // MARK: - Pieces

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws(JSONScanError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else {
            throw error("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        position += 1
    }

    /// Scans an object, handing each member to `visit` (the member's value is already scanned).
    private mutating func scanObject(_ visit: (JSONMember) throws(JSONScanError) -> Void) throws(JSONScanError) -> JSONValueSpan {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { throw error("expected an object") }
        let start = position
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return JSONValueSpan(kind: .object, range: start..<position)
        }
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let keyStart = position
            let keyHasEscapes = try scanString()
            let key = (keyStart + 1)..<(position - 1)
            try expect(UInt8(ascii: ":"))
            let value = try scanValue()
            try visit(JSONMember(start: keyStart, key: key, keyHasEscapes: keyHasEscapes, value: value))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of data in an object") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
            position += 1
            return JSONValueSpan(kind: .object, range: start..<position)
        }
    }

    /// Scans an array, calling `element` with the scanner at the start of each element, which it
    /// must scan.
    private mutating func scanArray(_ element: (inout JSONScanner) throws(JSONScanError) -> Void) throws(JSONScanError) -> JSONValueSpan {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "[") else { throw error("expected an array") }
        let start = position
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return JSONValueSpan(kind: .array, range: start..<position)
        }
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of data in an array") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
            position += 1
            return JSONValueSpan(kind: .array, range: start..<position)
        }
    }

    /// Scans a string starting at its opening quote; returns whether it contains escapes.
    private mutating func scanString() throws(JSONScanError) -> Bool {
        position += 1
        var hasEscapes = false
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return hasEscapes
            case UInt8(ascii: "\\"):
                hasEscapes = true
                try scanEscape()
            case 0x00..<0x20:
                throw error("control character in a string")
            case 0x80...:
                try scanMultibyte(lead: byte)
            default:
                position += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func scanEscape() throws(JSONScanError) {
        guard position + 1 < bytes.count else { throw error("unterminated escape") }
        switch bytes[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
        case UInt8(ascii: "u"):
            guard position + 5 < bytes.count else { throw error("unterminated \\u escape") }
            for offset in 2...5 where JSONText.hexValue(bytes[position + offset]) == nil {
                throw error("bad \\u escape")
            }
            position += 6
        default:
            throw error("bad escape")
        }
    }

    /// Checks one UTF-8 sequence whose lead byte is `lead` (≥ 0x80).
    private mutating func scanMultibyte(lead: UInt8) throws(JSONScanError) {
        let length: Int
        let minimum: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; minimum = 0x80
        case 0xE0...0xEF: length = 3; minimum = 0x800
        case 0xF0...0xF4: length = 4; minimum = 0x10000
        default: throw error("invalid UTF-8")
        }
        guard position + length <= bytes.count else { throw error("invalid UTF-8") }
        var scalar = UInt32(lead) & (0xFF >> (length + 1))
        for offset in 1..<length {
            let continuation = bytes[position + offset]
            guard continuation & 0xC0 == 0x80 else { throw error("invalid UTF-8") }
            scalar = scalar << 6 | UInt32(continuation & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
            throw error("invalid UTF-8")
        }
        position += length
    }

    private mutating func scanLiteral(_ literal: StaticString) throws(JSONScanError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("unexpected end of data") }
        let text = literal.utf8Start
        for offset in 0..<count where bytes[position + offset] != text[offset] {
            throw error("unexpected character")
        }
        position += count
    }

    private mutating func scanNumber() throws(JSONScanError) {
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw error("bad number") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else if JSONText.isDigit(bytes[position]) {
            while position < bytes.count, JSONText.isDigit(bytes[position]) { position += 1 }
        } else {
            throw error("bad number")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, JSONText.isDigit(bytes[position]) else { throw error("bad number") }
            while position < bytes.count, JSONText.isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, JSONText.isDigit(bytes[position]) else { throw error("bad number") }
            while position < bytes.count, JSONText.isDigit(bytes[position]) { position += 1 }
        }
    }

    private func error(_ reason: String) -> JSONScanError {
        JSONScanError(reason: reason, offset: position)
    }
}
