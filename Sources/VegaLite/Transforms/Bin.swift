/// Vega-Lite's `bin`: the parameters of a bin definition (`{"bin": {...}}`),
/// with Vega-Lite's defaults (`maxbins` 10, as for the x and y channels).
public struct BinParameters: Sendable, Equatable {
    public var maxbins: Double = 10
    public var base: Double = 10
    public var divide: [Double] = [5, 2]
    public var step: Double? = nil
    public var steps: [Double]? = nil
    public var minstep: Double = 0
    public var nice = true
    public var anchor: Double? = nil
    /// The domain to bin; nil: the extent of the data.
    public var extent: (Double, Double)? = nil
    public var span: Double? = nil

    public init() {}

    public static func == (a: BinParameters, b: BinParameters) -> Bool {
        a.maxbins == b.maxbins && a.base == b.base && a.divide == b.divide && a.step == b.step && a.steps == b.steps
            && a.minstep == b.minstep && a.nice == b.nice && a.anchor == b.anchor && a.extent?.0 == b.extent?.0
            && a.extent?.1 == b.extent?.1 && a.span == b.span
    }
}

/// The bins Vega computes for an extent (vega-statistics `bin`, and the
/// assignment of vega-transforms `Bin`), with JavaScript's arithmetic:
/// `Math.round` rounds halves up, `~~` truncates, `||` takes the second
/// value for 0 and NaN.
public struct Bins: Sendable, Equatable {
    /// The first bin's start (moved by `anchor`).
    public var start: Double
    /// The last boundary, as the bin signal reports it (`bins.stop`).
    public var stop: Double
    public var step: Double
    /// The last boundary values are assigned up to (a whole number of steps
    /// from `start`, moved by `anchor`).
    var assignStop: Double

    /// Vega's offset against floating-point error in the bin index.
    static let epsilon = 1e-14

    public init(_ p: BinParameters, extent: (min: Double, max: Double)) {
        let maxb = Self.or(p.maxbins, 20)
        let base = Self.or(p.base, 10)
        let logb = Self.log(base)
        var min = extent.min
        var max = extent.max
        let span = Self.or(Self.or(Self.or(p.span ?? .nan, max - min), Swift.abs(min)), 1)
        var step: Double
        if let s = p.step, Self.truthy(s) {
            step = s
        } else if let steps = p.steps {
            let v = span / maxb
            var i = 0
            while i < steps.count && steps[i] < v { i += 1 }
            step = steps[Swift.max(0, i - 1)]
        } else {
            let level = (Self.log(maxb) / logb).rounded(.up)
            let minstep = Self.or(p.minstep, 0)
            step = Swift.max(minstep, Self.pow(base, Self.jsRound(Self.log(span) / logb) - level))
            while (span / step).rounded(.up) > maxb { step *= base }
            for d in p.divide {
                let v = step / d
                if v >= minstep && span / v <= maxb { step = v }
            }
        }
        let v = Self.log(step)
        let precision = v >= 0 ? 0 : Double(Int32(truncatingIfNeeded: Int64((-v / logb).rounded(.towardZero)))) + 1
        let eps = Self.pow(base, -precision - 1)
        if p.nice {
            let w = (min / step + eps).rounded(.down) * step
            min = min < w ? w - step : w
            max = (max / step).rounded(.up) * step
        }
        let stop = max == min ? min + step : max
        // vega-transforms Bin._bins: the assignment's range, moved by the anchor.
        var start = min
        var assignStop = start + ((stop - start) / step).rounded(.up) * step
        if let a = p.anchor {
            let d = a - (start + step * ((a - start) / step).rounded(.down))
            start += d
            assignStop += d
        }
        self.start = start
        self.stop = stop
        self.step = step
        self.assignStop = assignStop
    }

    /// The bin of `value` (its start, inclusive, and end, exclusive); nil for
    /// a missing value (nil or NaN); ±infinity outside the bins.
    public func bin(_ value: Double?) -> (start: Double, end: Double)? {
        guard let value, !value.isNaN else { return nil }
        let b: Double
        if value < start {
            b = -.infinity
        } else if value > assignStop {
            b = .infinity
        } else {
            let v = Swift.max(start, Swift.min(value, assignStop - step))
            b = start + step * (Self.epsilon + (v - start) / step).rounded(.down)
        }
        return (b, start + step * (1 + (b - start) / step))
    }

    /// The extent Vega's `extent` transform finds: the least and greatest
    /// values, leaving out missing ones; nil when there are none.
    public static func extent(of values: [Double?]) -> (min: Double, max: Double)? {
        var lo = Double.infinity
        var hi = -Double.infinity
        var any = false
        for case let v? in values where !v.isNaN {
            any = true
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        return any ? (lo, hi) : nil
    }

    // MARK: JavaScript's arithmetic

    /// `a || b` for numbers: `b` when `a` is 0 or NaN.
    static func or(_ a: Double, _ b: Double) -> Double { truthy(a) ? a : b }

    static func truthy(_ a: Double) -> Bool { a != 0 && !a.isNaN }

    /// `Math.round`: the nearest integer, halves toward +infinity.
    static func jsRound(_ x: Double) -> Double {
        let down = x.rounded(.down)
        return x - down >= 0.5 ? down + 1 : down
    }

    static func log(_ x: Double) -> Double { _log(x) }
    static func pow(_ x: Double, _ y: Double) -> Double { _pow(x, y) }
}

#if canImport(Glibc)
    import Glibc
    private func _log(_ x: Double) -> Double { Glibc.log(x) }
    private func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#elseif canImport(Darwin)
    import Darwin
    private func _log(_ x: Double) -> Double { Darwin.log(x) }
    private func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#endif
