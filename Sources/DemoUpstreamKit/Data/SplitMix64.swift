/// A small, fast, seedable pseudo-random generator (SplitMix64).
///
/// The demo data must come out byte-for-byte the same for a given seed on every machine, run and
/// toolchain, so the generator never touches `SystemRandomNumberGenerator`, and the helpers below do
/// their own range reduction instead of relying on the standard library's `random(in:using:)`, whose
/// algorithm is not promised to stay the same across Swift releases.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose whole output sequence is fixed by `seed`.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// Returns the next 64 pseudo-random bits.
    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Returns an integer in `range`; the modulo bias is negligible for the small ranges used here.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) &+ 1
        if width == 0 { return Int(truncatingIfNeeded: self.next()) }
        return range.lowerBound + Int(self.next() % width)
    }

    /// Returns a value in `0..<1` built from the top 53 bits.
    public mutating func unit() -> Double {
        Double(self.next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Returns `true` with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        self.unit() < probability
    }

    /// Returns one element of a non-empty array.
    public mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[self.int(in: 0...(elements.count - 1))]
    }

    /// Returns `count` lowercase hexadecimal digits.
    public mutating func hex(_ count: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var word: UInt64 = 0
        for index in 0..<count {
            if index % 16 == 0 { word = self.next() }
            bytes.append(digits[Int(word & 0xF)])
            word >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
