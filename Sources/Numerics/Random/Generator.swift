/// numpy's `np.random.Generator` over `PCG64`, i.e. `np.random.default_rng(seed)`
/// (`numpy/random/_generator.pyx`, `numpy/random/src/distributions/distributions.c`).
/// Every method consumes the bit stream exactly as numpy does, so results are equal bit for
/// bit, including PCG64's buffered upper 32-bit half carried between calls.
public struct Generator: Sendable, Equatable {
    /// The underlying bit generator (numpy's `Generator.bit_generator`).
    public var bitGenerator: PCG64

    /// `np.random.default_rng(seed)` for a non-negative integer seed.
    public init(seed: UInt64) {
        bitGenerator = PCG64(seed: seed)
    }

    /// `np.random.Generator(PCG64(seed_seq))`.
    public init(seedSequence: SeedSequence) {
        bitGenerator = PCG64(seedSequence: seedSequence)
    }

    /// `Generator(bit_generator)`.
    public init(_ bitGenerator: PCG64) {
        self.bitGenerator = bitGenerator
    }

    // MARK: floats

    /// `Generator.random()`: one double in [0, 1), `(next_uint64 >> 11) * 2^-53`.
    public mutating func random() -> Double {
        bitGenerator.nextDouble()
    }

    /// `Generator.random(size)`.
    public mutating func random(_ size: Int) -> [Double] {
        (0..<size).map { _ in bitGenerator.nextDouble() }
    }

    /// `Generator.uniform(low, high, size)`: `low + (high - low) * next_double`
    /// (numpy's `random_uniform`).
    public mutating func uniform(_ low: Double = 0, _ high: Double = 1, size: Int) -> [Double] {
        let range = high - low
        return (0..<size).map { _ in low + range * bitGenerator.nextDouble() }
    }

    // MARK: integers

    /// `Generator.integers(low, high, size)` for the default `int64` dtype (`endpoint=False`
    /// unless `endpoint` is true): numpy's `random_bounded_uint64_fill` with Lemire's
    /// rejection: 32-bit draws (`next_uint32`, so PCG64's buffered halves) when
    /// `high - low - 1` fits in 32 bits, 64-bit draws otherwise.
    public mutating func integers(_ low: Int, _ high: Int, size: Int, endpoint: Bool = false) -> [Int] {
        var out = [Int](repeating: 0, count: size)
        let (off, rng) = Generator.offsetAndRange(low, high, endpoint: endpoint)
        if rng == 0 {
            for i in 0..<size { out[i] = Int(bitPattern: UInt(off)) }
        } else if rng <= 0xFFFF_FFFF {
            if rng == 0xFFFF_FFFF {
                // Lemire32 does not support rng == 0xFFFFFFFF; numpy draws next_uint32 directly.
                for i in 0..<size { out[i] = Int(bitPattern: UInt(off &+ UInt64(bitGenerator.nextUInt32()))) }
            } else {
                for i in 0..<size {
                    out[i] = Int(bitPattern: UInt(off &+ UInt64(boundedLemire32(UInt32(rng)))))
                }
            }
        } else if rng == UInt64.max {
            for i in 0..<size { out[i] = Int(bitPattern: UInt(off &+ bitGenerator.nextUInt64())) }
        } else {
            for i in 0..<size { out[i] = Int(bitPattern: UInt(off &+ boundedLemire64(rng))) }
        }
        return out
    }

    /// `Generator.integers(low, high)` (one value; the same stream as `size=1`).
    public mutating func integers(_ low: Int, _ high: Int, endpoint: Bool = false) -> Int {
        integers(low, high, size: 1, endpoint: endpoint)[0]
    }

    static func offsetAndRange(_ low: Int, _ high: Int, endpoint: Bool) -> (UInt64, UInt64) {
        let hi = endpoint ? high : high - 1
        precondition(hi >= low, "low >= high")
        let off = UInt64(bitPattern: Int64(low))
        return (off, UInt64(bitPattern: Int64(hi)) &- off)
    }

    /// numpy's `buffered_bounded_lemire_uint32`: a value in `[0, rng]`.
    @inline(__always)
    mutating func boundedLemire32(_ rng: UInt32) -> UInt32 {
        let rngExcl = rng &+ 1
        var m = UInt64(bitGenerator.nextUInt32()) &* UInt64(rngExcl)
        var leftover = UInt32(truncatingIfNeeded: m)
        if leftover < rngExcl {
            let threshold = (UInt32.max &- rng) % rngExcl
            while leftover < threshold {
                m = UInt64(bitGenerator.nextUInt32()) &* UInt64(rngExcl)
                leftover = UInt32(truncatingIfNeeded: m)
            }
        }
        return UInt32(truncatingIfNeeded: m >> 32)
    }

    /// numpy's `bounded_lemire_uint64`: a value in `[0, rng]`, `rng < 2^64 - 1`.
    @inline(__always)
    mutating func boundedLemire64(_ rng: UInt64) -> UInt64 {
        let rngExcl = rng &+ 1
        var (hi, lo) = bitGenerator.nextUInt64().multipliedFullWidth(by: rngExcl)
        if lo < rngExcl {
            let threshold = (UInt64.max &- rng) % rngExcl
            while lo < threshold {
                (hi, lo) = bitGenerator.nextUInt64().multipliedFullWidth(by: rngExcl)
            }
        }
        return hi
    }

    /// numpy's `random_bounded_uint64(bitgen, off, rng, 0, use_masked=False)`: one value in
    /// `[off, off + rng]`, as `choice` and `_shuffle_int` call it.
    @inline(__always)
    mutating func boundedUInt64(_ rng: UInt64) -> UInt64 {
        if rng == 0 { return 0 }
        if rng <= 0xFFFF_FFFF {
            // numpy calls Lemire32 here even for rng == 0xFFFFFFFF (rng_excl wraps to 0, giving 0).
            return UInt64(boundedLemire32(UInt32(rng)))
        }
        if rng == UInt64.max { return bitGenerator.nextUInt64() }
        return boundedLemire64(rng)
    }

    /// numpy's `random_interval(bitgen, max)`: masked rejection in `[0, max]`, with 32-bit
    /// draws when `max` fits in 32 bits. Used by `shuffle` and `permutation`.
    @inline(__always)
    mutating func interval(_ max: UInt64) -> UInt64 {
        if max == 0 { return 0 }
        let mask = Generator.genMask(max)
        if max <= 0xFFFF_FFFF {
            while true {
                let v = UInt64(bitGenerator.nextUInt32()) & mask
                if v <= max { return v }
            }
        }
        while true {
            let v = bitGenerator.nextUInt64() & mask
            if v <= max { return v }
        }
    }

    /// numpy's `_gen_mask`: the smallest all-ones bit mask `>= max`.
    static func genMask(_ max: UInt64) -> UInt64 {
        var m = max
        m |= m >> 1
        m |= m >> 2
        m |= m >> 4
        m |= m >> 8
        m |= m >> 16
        m |= m >> 32
        return m
    }

    // MARK: permutations

    /// `Generator.shuffle(x)` for a 1-D array (or a list): for `i` from `n-1` down to 1,
    /// swap `x[i]` with `x[random_interval(i)]`.
    public mutating func shuffle<T>(_ x: inout [T]) {
        var i = x.count - 1
        while i >= 1 {
            let j = Int(interval(UInt64(i)))
            x.swapAt(i, j)
            i -= 1
        }
    }

    /// `Generator.permutation(n)`: `np.arange(n)` shuffled by ``shuffle(_:)``.
    public mutating func permutation(_ n: Int) -> [Int] {
        var a = Array(0..<n)
        shuffle(&a)
        return a
    }

    /// `Generator.permutation(x)` for a 1-D array: a shuffled copy.
    public mutating func permutation<T>(_ x: [T]) -> [T] {
        var a = x
        shuffle(&a)
        return a
    }

    /// numpy's `_shuffle_int(bitgen, n, first, data)`: for `i` from `n-1` down to `first`,
    /// swap with `random_bounded_uint64(0, i)` (Lemire, not `random_interval`).
    mutating func shuffleInt(_ data: inout [Int], n: Int, first: Int) {
        var i = n - 1
        while i >= first {
            let j = Int(boundedUInt64(UInt64(i)))
            data.swapAt(i, j)
            i -= 1
        }
    }

    /// `Generator.choice(n, size, replace, shuffle)` with `p=None` for the population
    /// `np.arange(n)`.
    ///
    /// - `replace=True`: `integers(0, n, size)`.
    /// - `replace=False`, when `n > 10000` and `size > n // cutoff` (cutoff 50, or 20 with
    ///   `shuffle=False`): numpy's tail shuffle: `_shuffle_int` of `arange(n)` from
    ///   `max(n - size, 1)` upward, result the last `size` entries.
    /// - otherwise Floyd's algorithm with numpy's open-addressing hash set (size the smallest
    ///   power of two above `int(1.2 * size)`), drawing `random_bounded_uint64(0, j)` for
    ///   `j` in `n - size ..< n`, then `_shuffle_int(size, first=1)` when `shuffle`.
    public mutating func choice(_ n: Int, size: Int, replace: Bool = true, shuffle: Bool = true) -> [Int] {
        precondition(n > 0 || size == 0, "a must be a positive integer unless no samples are taken")
        if replace {
            return integers(0, n, size: size)
        }
        precondition(size <= n, "Cannot take a larger sample than population when replace is False")
        precondition(size >= 0, "negative dimensions are not allowed")
        let cutoff = shuffle ? 50 : 20
        if n > 10000 && size > n / cutoff {
            var idx = Array(0..<n)
            shuffleInt(&idx, n: n, first: Swift.max(n - size, 1))
            return Array(idx[(n - size)...])
        }
        var idx = [Int](repeating: 0, count: size)
        let setSize0 = UInt64(1.2 * Double(size))
        let mask = Generator.genMask(setSize0)
        let empty = UInt64.max
        var hashSet = [UInt64](repeating: empty, count: Int(mask + 1))
        for j in (n - size)..<n {
            let val = boundedUInt64(UInt64(j))
            var loc = Int(val & mask)
            while hashSet[loc] != empty && hashSet[loc] != val {
                loc = (loc + 1) & Int(mask)
            }
            if hashSet[loc] == empty {
                hashSet[loc] = val
                idx[j - n + size] = Int(val)
            } else {
                loc = j & Int(mask)
                while hashSet[loc] != empty {
                    loc = (loc + 1) & Int(mask)
                }
                hashSet[loc] = UInt64(j)
                idx[j - n + size] = j
            }
        }
        if shuffle {
            shuffleInt(&idx, n: size, first: 1)
        }
        return idx
    }

    /// `Generator.choice(a, size, replace, shuffle)` for a 1-D array: `a[choice(len(a), ...)]`.
    public mutating func choice<T>(_ a: [T], size: Int, replace: Bool = true, shuffle: Bool = true) -> [T] {
        choice(a.count, size: size, replace: replace, shuffle: shuffle).map { a[$0] }
    }
}
