/// One JSON object inside a page's bytes: where its members are, with their values read on demand.
///
/// The page's bytes are shared, not copied, by every slice cut from them.
struct JSONObjectSlice: @unchecked Sendable {
    let bytes: [UInt8]
    let span: JSONValueSpan
    let members: [JSONMember]

    init(bytes: [UInt8], span: JSONValueSpan, members: [JSONMember]) {
        self.bytes = bytes
        self.span = span
        self.members = members
    }

    /// The object at `span` of `bytes`, which the scanner has already accepted.
    init?(bytes: [UInt8], objectAt span: JSONValueSpan) {
        guard span.kind == .object else { return nil }
        let scanned: (span: JSONValueSpan, members: [JSONMember])? = bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer, position: span.range.lowerBound)
            return try? scanner.scanObjectMembers()
        }
        guard let scanned else { return nil }
        self.init(bytes: bytes, span: scanned.span, members: scanned.members)
    }

    /// The object's JSON text, exactly as the upstream sent it.
    var text: String { text(of: span.range) }

    /// The member called `name` (the last one, if the name repeats).
    func member(_ name: String) -> JSONMember? {
        var name = name
        return name.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { buffer in
                for member in members.reversed() {
                    if member.keyHasEscapes {
                        if JSONText.decodeString(buffer, member.key, hasEscapes: true).utf8.elementsEqual(wanted) { return member }
                    } else if member.key.count == wanted.count,
                        UnsafeBufferPointer(rebasing: buffer[member.key]).elementsEqual(wanted)
                    {
                        return member
                    }
                }
                return nil
            }
        }
    }

    /// A string member's decoded value; `nil` when absent or not a string.
    func string(_ name: String) -> String? {
        guard let value = member(name)?.value, value.kind == .string else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            let inside = (value.range.lowerBound + 1)..<(value.range.upperBound - 1)
            let hasEscapes = buffer[inside].contains(UInt8(ascii: "\\"))
            return JSONText.decodeString(buffer, inside, hasEscapes: hasEscapes)
        }
    }

    /// An integer member: a JSON number with no fractional part, or a string of digits.
    func integer(_ name: String) -> Int64? {
        guard let value = member(name)?.value else { return nil }
        switch value.kind {
        case .number:
            let text = self.text(of: value.range)
            if let integer = Int64(text) { return integer }
            // 5.0 or 5e0 is still the integer 5; 5.5 is not.
            guard let double = Double(text), double == double.rounded(), abs(double) < 9.2e18 else { return nil }
            return Int64(double)
        case .string:
            return string(name).flatMap { Int64($0) }
        default:
            return nil
        }
    }

    /// A boolean member: `true`/`false`, or a number (non-zero is true).
    func bool(_ name: String) -> Bool? {
        guard let value = member(name)?.value else { return nil }
        switch value.kind {
        case .true: return true
        case .false: return false
        case .number: return Double(text(of: value.range)).map { $0 != 0 }
        default: return nil
        }
    }

    /// The elements of an array member; `nil` when absent or not an array.
    func elements(_ name: String) -> [JSONValueSpan]? {
        guard let value = member(name)?.value, value.kind == .array else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer, position: value.range.lowerBound)
            return try? scanner.scanArrayElements().elements
        }
    }

    /// The text of any part of the page.
    func text(of range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// This object's text without the member `removed`, with one member appended whose value is the
    /// raw JSON at `value`.
    func text(removing removed: String, appending name: String, value: Range<Int>) -> String {
        let skipped = member(removed)?.start
        var output: [UInt8] = []
        output.reserveCapacity(span.range.count + value.count + name.utf8.count + 4)
        output.append(UInt8(ascii: "{"))
        bytes.withUnsafeBufferPointer { buffer in
            for member in members where member.start != skipped {
                if output.count > 1 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: buffer[member.start..<member.value.range.upperBound])
            }
            if output.count > 1 { output.append(UInt8(ascii: ",")) }
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: name.utf8)
            output.append(contentsOf: Array("\":".utf8))
            output.append(contentsOf: buffer[value])
        }
        output.append(UInt8(ascii: "}"))
        return String(decoding: output, as: UTF8.self)
    }
}
