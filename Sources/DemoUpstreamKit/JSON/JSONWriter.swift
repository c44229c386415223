/// Writes JSON straight into a byte array, with keys in the order they are written.
///
/// The server encodes every record once at startup, so the writer trades Codable's convenience for
/// speed and a fixed key order that matches what WordPress emits. Money is written from integer cents
/// the way PHP's `json_encode` writes a float (`150.0`, `150.5`, `150.25`).
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 256) {
        self.bytes.reserveCapacity(capacity)
    }

    /// Starts a new top-level value after a previous one, without a separating comma.
    mutating func startValue() {
        self.needsComma = false
    }

    mutating func openObject() {
        self.separate()
        self.bytes.append(UInt8(ascii: "{"))
        self.needsComma = false
    }

    mutating func closeObject() {
        self.bytes.append(UInt8(ascii: "}"))
        self.needsComma = true
    }

    mutating func openArray() {
        self.separate()
        self.bytes.append(UInt8(ascii: "["))
        self.needsComma = false
    }

    mutating func closeArray() {
        self.bytes.append(UInt8(ascii: "]"))
        self.needsComma = true
    }

    /// Writes an object key; the next value written belongs to it.
    mutating func key(_ name: StaticString) {
        self.separate()
        self.bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
        self.bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        self.needsComma = false
    }

    /// Writes an object key that is only known at run time.
    mutating func writeDynamicKey(_ name: String) {
        self.string(name)
        self.bytes.append(UInt8(ascii: ":"))
        self.needsComma = false
    }

    mutating func null() {
        self.separate()
        self.bytes.append(contentsOf: "null".utf8)
        self.needsComma = true
    }

    mutating func string(_ value: String) {
        self.separate()
        self.bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): self.bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): self.bytes.append(contentsOf: [92, 92])
            case UInt8(ascii: "/"): self.bytes.append(contentsOf: [92, 47])  // PHP escapes slashes too
            case 0x0A: self.bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: self.bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: self.bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                self.bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: self.bytes.append(byte)
            }
        }
        self.bytes.append(UInt8(ascii: "\""))
        self.needsComma = true
    }

    mutating func int(_ value: Int) {
        self.separate()
        self.bytes.append(contentsOf: String(value).utf8)
        self.needsComma = true
    }

    mutating func bool(_ value: Bool) {
        self.separate()
        self.bytes.append(contentsOf: (value ? "true" : "false").utf8)
        self.needsComma = true
    }

    /// Writes an amount held in cents as a PHP float: `1200.0`, `1200.5`, `1200.25`.
    mutating func money(_ cents: Int) {
        self.separate()
        if cents < 0 { self.bytes.append(UInt8(ascii: "-")) }
        let magnitude = cents.magnitude
        self.bytes.append(contentsOf: String(magnitude / 100).utf8)
        self.bytes.append(UInt8(ascii: "."))
        let fraction = Int(magnitude % 100)
        if fraction % 10 == 0 {
            self.bytes.append(UInt8(48 + fraction / 10))
        } else {
            self.bytes.append(contentsOf: [UInt8(48 + fraction / 10), UInt8(48 + fraction % 10)])
        }
        self.needsComma = true
    }

    mutating func field(_ name: StaticString, _ value: String) {
        self.key(name)
        self.string(value)
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        self.key(name)
        self.int(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        self.key(name)
        self.bool(value)
    }

    mutating func moneyField(_ name: StaticString, _ cents: Int) {
        self.key(name)
        self.money(cents)
    }

    /// Writes `"name":[]`.
    mutating func emptyArrayField(_ name: StaticString) {
        self.key(name)
        self.openArray()
        self.closeArray()
    }

    private mutating func separate() {
        if self.needsComma { self.bytes.append(UInt8(ascii: ",")) }
    }
}
