/// Lowercase hexadecimal text for bytes and fixed-width integers, without Foundation's
/// `String(format:)`, which goes through CoreFoundation's formatter: about 20 µs a call, a few
/// percent of the supervisor's CPU when every API request built a run id with it (`perf`, P6).
public enum HexDigits {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Two digits per byte, in order: `[0x0a, 0xff]` → `"0aff"`.
    public static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `value` as exactly `width` digits, zero-padded on the left: `padded(0xbeef, width: 8)` → `"0000beef"`.
    public static func padded<Value: FixedWidthInteger & UnsignedInteger>(_ value: Value, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
