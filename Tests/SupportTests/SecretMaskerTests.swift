import Testing
@testable import Support

@Suite("SecretMasker")
struct SecretMaskerTests {
    @Test("the masker finds secrets anywhere, including at the edges and after a near miss")
    func secretSearch() {
        let masker = SecretMasker(secrets: ["s3cr3t-value", "p@ss word"])
        #expect(masker.mask("s3cr3t-value") == "***")
        #expect(masker.mask("x s3cr3t-valu s3cr3t-value.") == "x s3cr3t-valu ***.")
        #expect(masker.mask("nothing here: s3cr3t") == "nothing here: s3cr3t")
        #expect(SecretMasker.contains("abc", "abcd") == false)
        #expect(SecretMasker.contains("ééa", "a") == true)
    }

    @Test("percent-encoded forms are masked: every non-alphanumeric encoded, and as a URL's user-info holds it")
    func percentEncoded() {
        let masker = SecretMasker(secrets: ["p@ss word", "pa-ss:w/rd"])
        #expect(masker.mask("pass p%40ss%20word end") == "pass *** end")
        #expect(masker.mask("postgresql://app:pa-ss%3Aw%2Frd@db/app") == "postgresql://app:***@db/app")
        #expect(masker.mask("token=pa%2Dss%3Aw%2Frd") == "token=***")
    }

    @Test("overlapping secrets: the longer is masked whole, wherever they overlap")
    func overlapping() {
        let masker = SecretMasker(secrets: ["abcd", "abcdefgh", "efghijkl"])
        #expect(masker.mask("abcdefgh") == "***")
        #expect(masker.mask("xx abcd yy") == "xx *** yy")
        #expect(masker.mask("efghijkl abcdefgh") == "*** ***")
        // The first match consumed wins; what is left of the other is not a secret any more.
        #expect(masker.mask("abcdefghijkl") == "***ijkl")
    }

    @Test("values shorter than four characters are left alone; no secrets means nothing to do")
    func shortValues() {
        let masker = SecretMasker(secrets: ["abc", "", "1"])
        #expect(masker.isEmpty)
        #expect(masker.mask("abc 1 abc") == "abc 1 abc")
        #expect(!SecretMasker(secrets: ["abcd"]).isEmpty)
    }
}
