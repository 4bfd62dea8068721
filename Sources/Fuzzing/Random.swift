/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast generator whose whole
/// state is one integer, so a mutant is reproduced from its seed alone.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The generator of one mutant: independent of how many mutants run, in
    /// which order, or on which worker.
    public static func forMutant(seed: UInt64, family: String, index: Int) -> SplitMix64 {
        var g = SplitMix64(seed: seed ^ fnv1a(family))
        let a = g.next()
        var h = SplitMix64(seed: a ^ UInt64(truncatingIfNeeded: index) &* 0xD6E8_FEB8_6659_FD93)
        _ = h.next()
        return h
    }

    /// FNV-1a of a string's UTF-8 bytes: a stable hash (unlike `Hasher`, not seeded per process).
    public static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }
}

extension RandomNumberGenerator {
    /// A uniform integer in `0..<bound` (`bound` > 0).
    mutating func below(_ bound: Int) -> Int { Int.random(in: 0..<max(bound, 1), using: &self) }

    /// One element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}
