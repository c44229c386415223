import Support
import Testing

@Suite("Hex digits without Foundation's formatter")
struct HexDigitsTests {
    @Test("bytes become two lowercase digits each, in order")
    func bytes() {
        #expect(HexDigits.string([0x00, 0x0a, 0x7f, 0xff]) == "000a7fff")
        #expect(HexDigits.string([UInt8]()) == "")
    }

    @Test("integers are padded to the width, and never cut")
    func padded() {
        #expect(HexDigits.padded(UInt32(0xbeef), width: 8) == "0000beef")
        #expect(HexDigits.padded(UInt32.max, width: 8) == "ffffffff")
        #expect(HexDigits.padded(UInt32(0), width: 8) == "00000000")
        #expect(HexDigits.padded(UInt64(0x1_0000_0000), width: 8) == "100000000")
    }
}
