/// numpy's `PCG64` bit generator (`numpy/random/src/pcg64/pcg64.h`): a 128-bit LCG with the
/// XSL-RR output function, stepping before each output, and numpy's 32-bit buffering
/// (`pcg64_next32` returns the low half of a 64-bit draw and keeps the high half for the
/// next 32-bit request).
///
/// 128-bit arithmetic is done on two `UInt64` halves.
public struct PCG64: Sendable, Equatable {
    static let multHi: UInt64 = 2_549_297_995_355_413_924
    static let multLo: UInt64 = 4_865_540_595_714_422_341

    var stateHi: UInt64
    var stateLo: UInt64
    var incHi: UInt64
    var incLo: UInt64
    var hasUInt32 = false
    var uinteger: UInt32 = 0

    /// `PCG64(seed_seq)`: `val = seed_seq.generate_state(4, np.uint64)`, then
    /// `pcg64_set_seed(state, val[0:2], val[2:4])` with `initstate = val[0] << 64 | val[1]` and
    /// `initseq = val[2] << 64 | val[3]`, then PCG's `srandom_r`:
    /// `state = 0; inc = initseq << 1 | 1; step; state += initstate; step`.
    public init(seedSequence: SeedSequence) {
        let v = seedSequence.generateState64(4)
        self.init(initState: (v[0], v[1]), initSeq: (v[2], v[3]))
    }

    /// `PCG64(seed)` for a non-negative integer seed.
    public init(seed: UInt64) {
        self.init(seedSequence: SeedSequence(seed))
    }

    /// PCG's `pcg_setseq_128_srandom_r(initstate, initseq)` with the 128-bit values given as
    /// (high, low) halves.
    public init(initState: (UInt64, UInt64), initSeq: (UInt64, UInt64)) {
        stateHi = 0
        stateLo = 0
        incHi = (initSeq.0 << 1) | (initSeq.1 >> 63)
        incLo = (initSeq.1 << 1) | 1
        step()
        let (lo, carry) = stateLo.addingReportingOverflow(initState.1)
        stateLo = lo
        stateHi = stateHi &+ initState.0 &+ (carry ? 1 : 0)
        step()
    }

    /// `state = state * MULT + inc` (mod 2^128).
    @inline(__always)
    mutating func step() {
        let (pHi, pLo) = stateLo.multipliedFullWidth(by: PCG64.multLo)
        let hi = pHi &+ stateLo &* PCG64.multHi &+ stateHi &* PCG64.multLo
        let (lo, carry) = pLo.addingReportingOverflow(incLo)
        stateLo = lo
        stateHi = hi &+ incHi &+ (carry ? 1 : 0)
    }

    /// `pcg64_next64`: step, then XSL-RR of the new state.
    @inline(__always)
    public mutating func nextUInt64() -> UInt64 {
        step()
        let x = stateHi ^ stateLo
        let rot = stateHi >> 58
        return (x >> rot) | (x << ((64 &- rot) & 63))
    }

    /// `pcg64_next32`: the buffered upper half if there is one, else the low half of a new
    /// 64-bit draw (buffering the upper half).
    @inline(__always)
    public mutating func nextUInt32() -> UInt32 {
        if hasUInt32 {
            hasUInt32 = false
            return uinteger
        }
        let next = nextUInt64()
        hasUInt32 = true
        uinteger = UInt32(truncatingIfNeeded: next >> 32)
        return UInt32(truncatingIfNeeded: next)
    }

    /// `pcg64_next_double`: `(next64 >> 11) * (1.0 / 9007199254740992.0)`.
    @inline(__always)
    public mutating func nextDouble() -> Double {
        Double(nextUInt64() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `PCG64.advance(delta)` is not provided; the raw state, as numpy's
    /// `bit_generator.state['state']`: (state, inc) as (high, low) halves, and the 32-bit buffer.
    public var rawState: (state: (UInt64, UInt64), inc: (UInt64, UInt64), hasUInt32: Bool, uinteger: UInt32) {
        ((stateHi, stateLo), (incHi, incLo), hasUInt32, uinteger)
    }

    public static func == (a: PCG64, b: PCG64) -> Bool {
        a.stateHi == b.stateHi && a.stateLo == b.stateLo && a.incHi == b.incHi && a.incLo == b.incLo
            && a.hasUInt32 == b.hasUInt32 && a.uinteger == b.uinteger
    }
}
