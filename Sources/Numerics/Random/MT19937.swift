/// The Mersenne Twister MT19937 bit generator, as numpy's legacy
/// `np.random.RandomState` drives it (`numpy/random/src/mt19937/mt19937.c`).
///
/// Only the integer-seed path is provided: `RandomState(seed)` calls
/// `mt19937_seed(state, seed)` (Matsumoto–Nishimura `init_genrand`), not
/// `init_by_array`.
public struct MT19937: Sendable, Equatable {
    /// State size (`RK_STATE_LEN`).
    public static let stateLength = 624
    private static let period = 397
    private static let matrixA: UInt32 = 0x9908_b0df
    private static let upperMask: UInt32 = 0x8000_0000
    private static let lowerMask: UInt32 = 0x7fff_ffff

    /// The 624 state words (`state->key`).
    public private(set) var key: [UInt32]
    /// The position of the next word to temper (`state->pos`).
    public private(set) var pos: Int

    /// `mt19937_seed(state, seed)`: numpy's seeding for an integer seed
    /// (`seed & 0xffffffff`, then the Knuth multiplier 1812433253 recurrence).
    public init(seed: UInt32) {
        var key = [UInt32](repeating: 0, count: Self.stateLength)
        var s = seed
        for i in 0..<Self.stateLength {
            key[i] = s
            s = 1_812_433_253 &* (s ^ (s >> 30)) &+ UInt32(i + 1)
        }
        self.key = key
        self.pos = Self.stateLength
    }

    /// `mt19937_gen`: regenerates the 624-word block.
    private mutating func generate() {
        let n = Self.stateLength
        let m = Self.period
        key.withUnsafeMutableBufferPointer { k in
            var i = 0
            while i < n - m {
                let y = (k[i] & Self.upperMask) | (k[i + 1] & Self.lowerMask)
                k[i] = k[i + m] ^ (y >> 1) ^ ((0 &- (y & 1)) & Self.matrixA)
                i += 1
            }
            while i < n - 1 {
                let y = (k[i] & Self.upperMask) | (k[i + 1] & Self.lowerMask)
                k[i] = k[i + m - n] ^ (y >> 1) ^ ((0 &- (y & 1)) & Self.matrixA)
                i += 1
            }
            let y = (k[n - 1] & Self.upperMask) | (k[0] & Self.lowerMask)
            k[n - 1] = k[m - 1] ^ (y >> 1) ^ ((0 &- (y & 1)) & Self.matrixA)
        }
        pos = 0
    }

    /// `mt19937_next32` (`genrand_int32`): the next tempered 32-bit word.
    public mutating func next32() -> UInt32 {
        if pos == Self.stateLength { generate() }
        var y = key[pos]
        pos += 1
        y ^= (y >> 11)
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= (y >> 18)
        return y
    }

    /// `mt19937_next_double`: a 53-bit double in [0, 1) from two words,
    /// `((a >> 5) * 67108864 + (b >> 6)) / 9007199254740992`.
    public mutating func nextDouble() -> Double {
        let a = Int64(next32() >> 5)
        let b = Int64(next32() >> 6)
        return (Double(a) * 67_108_864.0 + Double(b)) / 9_007_199_254_740_992.0
    }
}

/// numpy's legacy `np.random.RandomState` for an integer seed, with the draws
/// scikit-learn's `check_random_state(seed)` uses (`random_sample`, `uniform`).
public struct RandomState: Sendable, Equatable {
    /// The underlying bit generator.
    public var bitGenerator: MT19937

    /// `np.random.RandomState(seed)` for `0 <= seed <= 2**32 - 1`.
    public init(seed: UInt32) {
        bitGenerator = MT19937(seed: seed)
    }

    /// `RandomState.random_sample()`: one double in [0, 1).
    public mutating func randomSample() -> Double {
        bitGenerator.nextDouble()
    }

    /// `RandomState.random_sample(n)`: `n` doubles in [0, 1), in order.
    public mutating func randomSample(_ count: Int) -> [Double] {
        var out = [Double]()
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(bitGenerator.nextDouble()) }
        return out
    }

    /// `RandomState.uniform(low, high)` for scalars:
    /// `low + (high - low) * random_sample()` (legacy `random_uniform`).
    public mutating func uniform(low: Double = 0, high: Double = 1) -> Double {
        let range = high - low
        return low + range * bitGenerator.nextDouble()
    }

    /// `RandomState.uniform(low_array, high_array)` for two 1-D arrays of the
    /// same length: numpy's legacy `cont` path computes `range = high - low`
    /// once, then draws one double per element in C order,
    /// `out[i] = low[i] + range[i] * random_sample()`.
    ///
    /// - Precondition: `low.count == high.count` (no broadcasting).
    public mutating func uniform(low: [Double], high: [Double]) -> [Double] {
        precondition(low.count == high.count, "uniform: low and high must have the same length")
        var out = [Double]()
        out.reserveCapacity(low.count)
        for i in 0..<low.count {
            let range = high[i] - low[i]
            out.append(low[i] + range * bitGenerator.nextDouble())
        }
        return out
    }
}
