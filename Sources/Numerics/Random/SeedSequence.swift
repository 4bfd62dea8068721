/// numpy's `np.random.SeedSequence` (`numpy/random/bit_generator.pyx`): hashes seed entropy
/// into a pool of four 32-bit words, and expands the pool into seeding words for bit
/// generators with `generate_state`. All arithmetic is modulo 2^32, as in numpy.
public struct SeedSequence: Sendable, Equatable {
    /// numpy's `DEFAULT_POOL_SIZE`.
    public static let defaultPoolSize = 4

    static let initA: UInt32 = 0x43b0_d7e5
    static let multA: UInt32 = 0x931e_8875
    static let initB: UInt32 = 0x8b51_f9dd
    static let multB: UInt32 = 0x58f3_8ded
    static let mixMultL: UInt32 = 0xca01_f9dd
    static let mixMultR: UInt32 = 0x4973_f715
    static let xshift: UInt32 = 16

    /// The run entropy as numpy coerces it to 32-bit words (little-endian words of each
    /// integer, concatenated).
    public let entropy: [UInt32]
    /// The spawn key words (`SeedSequence.spawn_key`, coerced the same way).
    public let spawnKey: [UInt32]
    /// The mixed pool (`SeedSequence.pool`).
    public let pool: [UInt32]

    /// `SeedSequence(entropy)` for a non-negative Python integer given as its little-endian
    /// 32-bit words (numpy's `_int_to_uint32_array`; the integer 0 is the single word `[0]`).
    public init(words: [UInt32], spawnKey: [UInt32] = [], poolSize: Int = SeedSequence.defaultPoolSize) {
        self.entropy = words
        self.spawnKey = spawnKey
        var run = words
        if !spawnKey.isEmpty && run.count < poolSize {
            run += [UInt32](repeating: 0, count: poolSize - run.count)
        }
        self.pool = SeedSequence.mixEntropy(poolSize: poolSize, entropy: run + spawnKey)
    }

    /// `SeedSequence(seed)` for a non-negative integer seed (`np.random.default_rng(seed)`).
    public init(_ seed: UInt64) {
        self.init(words: SeedSequence.uint32Words(seed))
    }

    /// `SeedSequence([s0, s1, ...])`: each integer is split into 32-bit words and the words are
    /// concatenated (numpy's `_coerce_to_uint32_array` on a sequence).
    public init(sequence: [UInt64]) {
        self.init(words: sequence.flatMap { SeedSequence.uint32Words($0) })
    }

    /// numpy's `_int_to_uint32_array`: little-endian 32-bit words; 0 gives `[0]`.
    public static func uint32Words(_ n: UInt64) -> [UInt32] {
        if n == 0 { return [0] }
        var out: [UInt32] = []
        var v = n
        while v > 0 {
            out.append(UInt32(truncatingIfNeeded: v))
            v >>= 32
        }
        return out
    }

    @inline(__always)
    static func hashmix(_ value: UInt32, _ hashConst: inout UInt32) -> UInt32 {
        var v = value ^ hashConst
        hashConst = hashConst &* multA
        v = v &* hashConst
        v ^= v >> xshift
        return v
    }

    @inline(__always)
    static func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
        var r = (mixMultL &* x) &- (mixMultR &* y)
        r ^= r >> xshift
        return r
    }

    static func mixEntropy(poolSize: Int, entropy: [UInt32]) -> [UInt32] {
        var mixer = [UInt32](repeating: 0, count: poolSize)
        var hashConst = initA
        for i in 0..<poolSize {
            mixer[i] = hashmix(i < entropy.count ? entropy[i] : 0, &hashConst)
        }
        for iSrc in 0..<poolSize {
            for iDst in 0..<poolSize where iSrc != iDst {
                mixer[iDst] = mix(mixer[iDst], hashmix(mixer[iSrc], &hashConst))
            }
        }
        if entropy.count > poolSize {
            for iSrc in poolSize..<entropy.count {
                for iDst in 0..<poolSize {
                    mixer[iDst] = mix(mixer[iDst], hashmix(entropy[iSrc], &hashConst))
                }
            }
        }
        return mixer
    }

    /// `generate_state(n_words, np.uint32)`.
    public func generateState32(_ nWords: Int) -> [UInt32] {
        var hashConst = SeedSequence.initB
        var out = [UInt32](repeating: 0, count: nWords)
        for i in 0..<nWords {
            var v = pool[i % pool.count]
            v ^= hashConst
            hashConst = hashConst &* SeedSequence.multB
            v = v &* hashConst
            v ^= v >> SeedSequence.xshift
            out[i] = v
        }
        return out
    }

    /// `generate_state(n_words, np.uint64)`: twice as many 32-bit words, paired
    /// little-endian (low word first), as numpy's `.view(np.uint64)`.
    public func generateState64(_ nWords: Int) -> [UInt64] {
        let w = generateState32(2 * nWords)
        return (0..<nWords).map { UInt64(w[2 * $0]) | (UInt64(w[2 * $0 + 1]) << 32) }
    }
}
