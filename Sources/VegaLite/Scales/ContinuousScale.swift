import FigureModel
import Foundation

/// A continuous d3 scale (d3-scale 4: `scaleLinear`, `scaleLog`,
/// `scalePow`/`scaleSqrt`, `scaleSymlog`) as Vega uses it for positions:
/// its domain, forward transform, ticks, nice domain and tick labels.
public struct ContinuousScale: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case linear
        /// `scaleLog().base(base)`; a negative domain is reflected.
        case log(base: Double)
        /// `scalePow().exponent(exponent)`; `scaleSqrt` is exponent 0.5.
        case pow(exponent: Double)
        /// `scaleSymlog().constant(constant)`.
        case symlog(constant: Double)
    }

    public var kind: Kind
    /// The domain as given: first and last value (either order).
    public var domain: (Double, Double)

    public init(_ kind: Kind, domain: (Double, Double)) {
        self.kind = kind
        self.domain = domain
    }

    public static func == (a: ContinuousScale, b: ContinuousScale) -> Bool {
        a.kind == b.kind && a.domain.0 == b.domain.0 && a.domain.1 == b.domain.1
    }

    /// Whether the scale is Vega's "log" type (its ticks and labels differ).
    public var isLogarithmic: Bool {
        if case .log = kind { return true }
        return false
    }

    /// Whether a log scale's domain is negative (d3 then reflects it).
    private var reflected: Bool { domain.0 < 0 }

    // MARK: - Transform

    /// The forward transform used for positioning: log_b x (−log_b −x for a
    /// negative log domain), sign(x)·|x|^e, sign(x)·log1p(|x/c|), or x.
    public func transform(_ v: Double) -> Double {
        switch kind {
        case .linear: return v
        case .log:
            // d3 transforms with the natural logarithm; the base cancels out
            // in the normalisation.
            return reflected ? -Foundation.log(-v) : Foundation.log(v)
        case .pow(let e):
            if e == 1 { return v }
            if e == 0.5 { return v < 0 ? -(-v).squareRoot() : v.squareRoot() }
            return v < 0 ? -Foundation.pow(-v, e) : Foundation.pow(v, e)
        case .symlog(let c):
            return Self.sign(v) * log1p(Swift.abs(v / c))
        }
    }

    /// The inverse of `transform`.
    public func inverse(_ t: Double) -> Double {
        switch kind {
        case .linear: return t
        case .log: return reflected ? -exp(-t) : exp(t)
        case .pow(let e):
            if e == 1 { return t }
            if e == 0.5 { return t < 0 ? -t * t : t * t }
            return t < 0 ? -Foundation.pow(-t, 1 / e) : Foundation.pow(t, 1 / e)
        case .symlog(let c):
            return Self.sign(t) * expm1(Swift.abs(t)) * c
        }
    }

    /// JavaScript's `Math.sign`.
    private static func sign(_ v: Double) -> Double {
        v > 0 ? 1 : v < 0 ? -1 : v  // ±0 and NaN stay
    }

    /// The position of `value` in `range` (d3's `scale(value)` with
    /// `range([r0, r1])`: transformed domain normalised, then interpolated).
    public func scale(_ value: Double, range: (Double, Double)) -> Double {
        var d0 = transform(domain.0)
        var d1 = transform(domain.1)
        var r0 = range.0
        var r1 = range.1
        if d1 < d0 {
            swap(&d0, &d1)
            swap(&r0, &r1)
        }
        let span = d1 - d0
        let t: Double
        if span != 0 {
            t = (transform(value) - d0) / span
        } else {
            t = span.isNaN ? .nan : 0.5
        }
        return r0 * (1 - t) + r1 * t
    }

    /// The domain value at `position` in `range` (d3's `invert`).
    public func invert(_ position: Double, range: (Double, Double)) -> Double {
        var d0 = transform(domain.0)
        var d1 = transform(domain.1)
        var r0 = range.0
        var r1 = range.1
        if r1 < r0 {
            swap(&r0, &r1)
            swap(&d0, &d1)
        }
        let span = r1 - r0
        let t = span != 0 ? (position - r0) / span : (span.isNaN ? .nan : 0.5)
        return inverse(d0 * (1 - t) + d1 * t)
    }

    // MARK: - Log helpers

    private var logBase: Double {
        if case .log(let b) = kind { return b }
        return 10
    }

    /// d3's `logs`: log in the scale's base (reflected for a negative domain).
    private func logs(_ x: Double) -> Double {
        let b = logBase
        let f: (Double) -> Double
        if b == M_E {
            f = { Foundation.log($0) }
        } else if b == 10 {
            f = { log10($0) }
        } else if b == 2 {
            f = { log2($0) }
        } else {
            let lb = Foundation.log(b)
            f = { Foundation.log($0) / lb }
        }
        return reflected ? -f(-x) : f(x)
    }

    /// d3's `pows`: the base to a power (reflected for a negative domain);
    /// base 10 parses "1e<x>", exact for whole exponents and NaN otherwise.
    private func pows(_ x: Double) -> Double {
        let b = logBase
        let f: (Double) -> Double
        if b == 10 {
            f = { x in
                if !x.isFinite { return x < 0 ? 0 : x }
                guard x == x.rounded(), Swift.abs(x) < 1e6 else { return .nan }
                return Double("1e\(Int(x))") ?? .nan
            }
        } else if b == M_E {
            f = { exp($0) }
        } else {
            f = { Foundation.pow(b, $0) }
        }
        return reflected ? -f(-x) : f(x)
    }

    // MARK: - Ticks

    /// d3's `scale.ticks(count)`.
    public func ticks(count: Double) -> [Double] {
        guard case .log(let base) = kind else { return D3Ticks.ticks(domain.0, domain.1, count: count) }
        var u = domain.0
        var v = domain.1
        let r = v < u
        if r { swap(&u, &v) }
        var i = logs(u)
        var j = logs(v)
        var z: [Double] = []
        let n = count
        if base.truncatingRemainder(dividingBy: 1) == 0 && j - i < n {
            i = i.rounded(.down)
            j = j.rounded(.up)
            if u > 0 {
                var e = i
                while e <= j {
                    var k = 1.0
                    while k < base {
                        let t = e < 0 ? k / pows(-e) : k * pows(e)
                        k += 1
                        if t < u { continue }
                        if t > v { break }
                        z.append(t)
                    }
                    e += 1
                }
            } else {
                var e = i
                while e <= j {
                    var k = base - 1
                    while k >= 1 {
                        let t = e > 0 ? k / pows(-e) : k * pows(e)
                        k -= 1
                        if t < u { continue }
                        if t > v { break }
                        z.append(t)
                    }
                    e += 1
                }
            }
            if Double(z.count) * 2 < n { z = D3Ticks.ticks(u, v, count: n) }
        } else {
            z = D3Ticks.ticks(i, j, count: Swift.min(j - i, n)).map(pows)
        }
        return r ? z.reversed() : z
    }

    // MARK: - Nice

    /// d3's `scale.nice(count)`: the domain extended to round values (for
    /// log scales, to whole powers of the base; the count is not used).
    public func nice(count: Double = 10) -> ContinuousScale {
        var out = self
        if isLogarithmic {
            let lo = Swift.min(domain.0, domain.1)
            let hi = Swift.max(domain.0, domain.1)
            let niceLo = pows(logs(lo).rounded(.down))
            let niceHi = pows(logs(hi).rounded(.up))
            out.domain = domain.1 < domain.0 ? (niceHi, niceLo) : (niceLo, niceHi)
            return out
        }
        var start = domain.0
        var stop = domain.1
        let reversed = stop < start
        if reversed { swap(&start, &stop) }
        var previous: Double? = nil
        for _ in 0..<10 {
            let step = D3Ticks.tickIncrement(start, stop, count: count)
            if let previous, step == previous {
                out.domain = reversed ? (stop, start) : (start, stop)
                return out
            } else if step > 0 {
                start = (start / step).rounded(.down) * step
                stop = (stop / step).rounded(.up) * step
            } else if step < 0 {
                start = (start * step).rounded(.up) / step
                stop = (stop * step).rounded(.down) / step
            } else {
                break
            }
            previous = step
        }
        // d3 leaves the domain as it was when the steps do not settle.
        return self
    }

    // MARK: - Tick labels

    /// d3's `scale.tickFormat(count, specifier)`. Linear, pow and symlog
    /// scales use d3-scale's `tickFormat` over the domain (`,f` by default,
    /// with the precision the tick step needs); log scales use d3's log
    /// tick format (`s` for base 10, `,` otherwise, trimmed when no
    /// precision is given), which blanks labels past `count` per decade.
    /// Vega's axes label differently: see `VegaAxisTicks`.
    public func tickFormat(count: Double = 10, specifier: String? = nil) throws(D3FormatError)
        -> @Sendable (Double) -> String
    {
        guard case .log(let base) = kind else {
            return try Self.spanFormat(domain.0, domain.1, count: count, specifier: specifier, prefixAlways: true)
        }
        var s = try D3FormatSpecifier(parsing: specifier ?? (base == 10 ? "s" : ","))
        if base.truncatingRemainder(dividingBy: 1) == 0 && s.precision == nil { s.trim = true }
        let format = D3Format(s)
        if count.isInfinite { return { format($0) } }
        let k = Swift.max(1, base * count / Double(ticks(count: 10).count))
        let scale = self
        return { d in
            var i = d / scale.pows(JavaScriptFormatting.round(scale.logs(d)))
            if i * base < base - 0.5 { i *= base }
            return i <= k ? format(d) : ""
        }
    }

    /// d3-scale's `tickFormat(start, stop, count, specifier)` and Vega's
    /// `formatSpan`: the specifier's precision, when it has none, from the
    /// tick step and the largest magnitude. Type `s` is scaled to the SI
    /// prefix of the largest magnitude (d3 always, Vega only when the
    /// specifier has no precision: `prefixAlways`).
    static func spanFormat(
        _ start: Double, _ stop: Double, count: Double, specifier: String?, prefixAlways: Bool
    ) throws(D3FormatError) -> @Sendable (Double) -> String {
        var s = try D3FormatSpecifier(parsing: specifier ?? ",f")
        let step = D3Ticks.tickStep(start, stop, count: count)
        let value = Swift.max(Swift.abs(start), Swift.abs(stop))
        if s.precision == nil {
            switch s.type {
            case "s":
                if let p = D3FormatPrecision.prefix(step: step, value: value) { s.precision = p }
                let format = D3Format.prefixed(s, value: value)
                return { format($0) }
            case "", "e", "g", "p", "r":
                if let p = D3FormatPrecision.round(step: step, max: value) { s.precision = p - (s.type == "e" ? 1 : 0) }
            case "f", "%":
                if let p = D3FormatPrecision.fixed(step: step) { s.precision = p - (s.type == "%" ? 2 : 0) }
            default: break
            }
        } else if s.type == "s" && prefixAlways {
            let format = D3Format.prefixed(s, value: value)
            return { format($0) }
        }
        let format = D3Format(s)
        return { format($0) }
    }
}
