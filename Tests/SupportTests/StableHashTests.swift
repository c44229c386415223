import Support
import Testing

@Suite("StableHash: FNV-1a, the same in every process")
struct StableHashTests {
    @Test("the published 64-bit FNV-1a values of \"\", \"a\" and \"foobar\"")
    func publishedVectors() {
        #expect(StableHash.fnv1a("") == 0xCBF2_9CE4_8422_2325)
        #expect(StableHash.fnv1a("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(StableHash.fnv1a("foobar") == 0x8594_4171_F739_67E8)
    }
}
