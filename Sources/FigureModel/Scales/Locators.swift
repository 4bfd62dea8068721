import Foundation

/// matplotlib's `transforms._nonsingular`: widen a (near-)empty interval,
/// replace non-finite ends by `(-expander, expander)`; the result is
/// increasing unless `increasing` is false.
public func mplNonsingular(
    _ v0: Double, _ v1: Double, expander: Double = 0.001, tiny: Double = 1e-15, increasing: Bool = true
) -> (Double, Double) {
    guard v0.isFinite, v1.isFinite else { return (-expander, expander) }
    var vmin = v0
    var vmax = v1
    var swapped = false
    if vmax < vmin {
        swap(&vmin, &vmax)
        swapped = true
    }
    let maxabs = max(abs(vmin), abs(vmax))
    if maxabs < (1e6 / tiny) * Double.leastNormalMagnitude {
        vmin = -expander
        vmax = expander
    } else if vmax - vmin <= maxabs * tiny {
        if vmax == 0 && vmin == 0 {
            vmin = -expander
            vmax = expander
        } else {
            vmin -= expander * abs(vmin)
            vmax += expander * abs(vmax)
        }
    }
    if swapped && !increasing { swap(&vmin, &vmax) }
    return (vmin, vmax)
}

/// matplotlib's `ticker.scale_range`: the power of ten below `dv / n` and an
/// offset when the mean is large compared with the range.
func mplScaleRange(_ vmin: Double, _ vmax: Double, n: Double = 1, threshold: Double = 100) -> (
    scale: Double, offset: Double
) {
    let dv = abs(vmax - vmin)
    let meanv = (vmax + vmin) / 2
    var offset = 0.0
    if !(abs(meanv) / dv < threshold) {
        offset = copysign(pow(10, PythonFormat.floorDiv(log10(abs(meanv)), 1)), meanv)
    }
    let scale = pow(10, PythonFormat.floorDiv(log10(dv / n), 1))
    return (scale, offset)
}

/// matplotlib's `ticker._Edge_integer`: integer multiples of a step with a
/// tolerance that grows with the offset.
struct EdgeInteger {
    var step: Double
    var offset: Double

    init(step: Double, offset: Double) {
        self.step = step
        self.offset = abs(offset)
    }

    func closeTo(_ ms: Double, _ edge: Double) -> Bool {
        var tol: Double
        if offset > 0 {
            let digits = log10(offset / step)
            tol = max(1e-10, pow(10, digits - 12))
            tol = min(0.4999, tol)
        } else {
            tol = 1e-10
        }
        return abs(ms - edge) < tol
    }

    /// The largest n with n*step <= x.
    func le(_ x: Double) -> Double {
        let (d, m) = PythonFormat.divmod(x, step)
        return closeTo(m / step, 1) ? d + 1 : d
    }

    /// The smallest n with n*step >= x.
    func ge(_ x: Double) -> Double {
        let (d, m) = PythonFormat.divmod(x, step)
        return closeTo(m / step, 0) ? d : d + 1
    }
}

/// matplotlib's `MaxNLocator` with the parameters of `AutoLocator`
/// (steps [1, 2, 2.5, 5, 10], min_n_ticks 2, no pruning, not integer,
/// not symmetric) and `axes.autolimit_mode` 'data'.
public struct AutoLocator: Hashable, Sendable {
    /// The number of intervals (nbins); matplotlib's 'auto' is
    /// `clip(axis.get_tick_space(), 1, 9)`, see `Scales.autoBins`.
    public var nbins: Int
    /// `steps`, starting with 1 and ending with 10.
    public var steps: [Double] = [1, 2, 2.5, 5, 10]
    /// `min_n_ticks`.
    public var minNTicks: Int = 2

    /// `AutoLocator()` with `nbins` resolved.
    public init(nbins: Int) { self.nbins = nbins }

    /// `MaxNLocator._staircase`.
    var extendedSteps: [Double] {
        steps.dropLast().map { 0.1 * $0 } + steps + [10 * steps[1]]
    }

    /// `MaxNLocator.tick_values(vmin, vmax)`: tick locations covering the
    /// range, including one beyond each end where the steps fall so.
    public func tickValues(_ vmin: Double, _ vmax: Double) -> [Double] {
        let (lo, hi) = mplNonsingular(vmin, vmax, expander: 1e-13, tiny: 1e-14)
        return rawTicks(lo, hi)
    }

    /// `MaxNLocator._raw_ticks`.
    func rawTicks(_ vmin: Double, _ vmax: Double) -> [Double] {
        let nb = Double(nbins)
        let (scale, offset) = mplScaleRange(vmin, vmax, n: nb)
        let lo = vmin - offset
        let hi = vmax - offset
        let steps = extendedSteps.map { $0 * scale }
        let rawStep = (hi - lo) / nb
        let istep = steps.firstIndex(where: { $0 >= rawStep }) ?? steps.count - 1
        var ticks: [Double] = []
        for step in steps[0...istep].reversed() {
            let bestVmin = PythonFormat.floorDiv(lo, step) * step
            let edge = EdgeInteger(step: step, offset: offset)
            let low = edge.le(lo - bestVmin)
            let high = edge.ge(hi - bestVmin)
            ticks = []
            if high >= low {
                let count = Int(high - low) + 1
                ticks.reserveCapacity(count)
                for i in 0..<count { ticks.append((low + Double(i)) * step + bestVmin) }
            }
            let nticks = ticks.filter { $0 <= hi && $0 >= lo }.count
            if nticks >= minNTicks { break }
        }
        return ticks.map { $0 + offset }
    }

    /// `MaxNLocator.view_limits` in 'data' autolimit mode.
    public func viewLimits(_ dmin: Double, _ dmax: Double) -> (Double, Double) {
        mplNonsingular(dmin, dmax, expander: 1e-12, tiny: 1e-13)
    }
}

/// matplotlib's `LogLocator` (base 10) for major ticks (`subs=(1.0,)`) or
/// minor ticks (`subs='auto'`), with `numticks='auto'`
/// (`clip(axis.get_tick_space(), 2, 9)`).
public struct LogLocator: Hashable, Sendable {
    /// `LogLocator`'s `subs`.
    public enum Subs: Hashable, Sendable {
        /// `subs=(1.0,)`: ticks at the decades.
        case decades
        /// `subs='auto'` (or None): ticks between decades (2…9).
        case auto
        /// An explicit `subs` sequence.
        case values([Double])
    }

    /// The log base.
    public var base: Double = 10
    /// Where ticks go within a decade.
    public var subs: Subs
    /// The requested number of ticks (`numticks`).
    public var numTicks: Int

    /// `LogLocator(base=10, subs=…, numticks=…)`.
    public init(subs: Subs, numTicks: Int) {
        self.subs = subs
        self.numTicks = numTicks
    }

    func logB(_ x: Double) -> Double { base == 10 ? log10(x) : (base == 2 ? log2(x) : log(x) / log(base)) }

    /// `LogLocator.tick_values(vmin, vmax)`; `minpos` replaces a non-positive
    /// vmin (the axis' smallest positive datum).
    public func tickValues(_ vminIn: Double, _ vmaxIn: Double, minpos: Double = .infinity) -> [Double] {
        var nRequest = numTicks
        let b = base
        var vmin = vminIn
        var vmax = vmaxIn
        if vmin <= 0 {
            vmin = minpos
            if vmin <= 0 || !vmin.isFinite { return [] }
        }
        if vmax < vmin { swap(&vmin, &vmax) }
        let efmin = logB(vmin)
        let efmax = logB(vmax)
        let emin = Int(ceil(efmin))
        let emax = Int(floor(efmax))
        let nAvail = emax - emin + 1
        var subsValues: [Double]
        switch subs {
        case .decades: subsValues = [1.0]
        case .values(let v): subsValues = v
        case .auto:
            if nAvail >= 10 || b < 3 { return [] }
            subsValues = stride(from: 2.0, to: b, by: 1.0).map { $0 }
        }
        var stride = nAvail / (nRequest + 1) + 1
        let nr = Int(ceil(Double(nAvail) / Double(stride)))
        if nr <= nRequest { nRequest = nr }
        var decades: [Int]
        if nRequest == 0 {
            decades = [emin - 1, emax + 1]
            stride = decades[1] - decades[0]
        } else if nRequest == 1 {
            let mid = Int(PythonFormat.round((efmin + efmax) / 2))
            stride = max(mid - (emin - 1), (emax + 1) - mid)
            decades = [mid - stride, mid, mid + stride]
        } else {
            stride = (nAvail - 1) / (nRequest - 1)
            if Double(stride) < Double(nAvail) / Double(nRequest) { stride = nAvail / nRequest }
            let olo = max(nAvail - stride * nRequest, 0)
            let ohi = min(nAvail - stride * (nRequest - 1), stride)
            var offset = ((-emin) % stride + stride) % stride
            if !(olo <= offset && offset < ohi) { offset = olo }
            decades = Array(Swift.stride(from: emin + offset - stride, to: emax + stride + 1, by: stride))
        }
        let isMinor = subsValues.count > 1 || (subsValues.count == 1 && subsValues[0] != 1.0)
        var ticklocs: [Double] = []
        if isMinor {
            if stride == 1 || nAvail <= 1 {
                for decade in (emin - 1)..<(emax + 1) {
                    let p = pow(b, Double(decade))
                    ticklocs += subsValues.map { $0 * p }
                }
            }
        } else {
            ticklocs = decades.map { pow(b, Double($0)) }
        }
        if subsValues.count > 1 && stride == 1
            && (decades.count - 2 + ticklocs.filter { vmin <= $0 && $0 <= vmax }.count) <= 1
        {
            // A minor locator with at most one tick in view: AutoLocator
            // (unbound to an axis, hence nbins 9).
            return AutoLocator(nbins: 9).tickValues(vmin, vmax)
        }
        return ticklocs
    }

    /// `LogLocator.nonsingular(vmin, vmax)` with the (shared) axes' minpos.
    public static func nonsingular(_ v0: Double, _ v1: Double, minpos: Double) -> (Double, Double) {
        var vmin = v0
        var vmax = v1
        if vmin > vmax { swap(&vmin, &vmax) }
        if !vmin.isFinite || !vmax.isFinite { return (1, 10) }
        if vmax <= 0 { return (1, 10) }
        let mp = minpos.isFinite ? minpos : 1e-300
        if vmin <= 0 { vmin = mp }
        if vmin == vmax {
            vmin = decadeLess(vmin, 10)
            vmax = decadeGreater(vmax, 10)
        }
        return (vmin, vmax)
    }

    static func decadeLessEqual(_ x: Double, _ b: Double) -> Double {
        x == 0 ? x : (x < 0 ? -decadeGreaterEqual(-x, b) : pow(b, floor(log(x) / log(b))))
    }

    static func decadeGreaterEqual(_ x: Double, _ b: Double) -> Double {
        x == 0 ? x : (x < 0 ? -decadeLessEqual(-x, b) : pow(b, ceil(log(x) / log(b))))
    }

    static func decadeLess(_ x: Double, _ b: Double) -> Double {
        if x < 0 { return -decadeGreater(-x, b) }
        var less = decadeLessEqual(x, b)
        if less == x { less /= b }
        return less
    }

    static func decadeGreater(_ x: Double, _ b: Double) -> Double {
        if x < 0 { return -decadeLess(-x, b) }
        var greater = decadeGreaterEqual(x, b)
        if greater == x { greater *= b }
        return greater
    }
}
