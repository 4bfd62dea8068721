import Foundation

/// An axes' data limits (`Axes.dataLim`): the extent of the data on each
/// axis and the smallest positive value (`minpos`), for log scales.
public struct DataLimits: Hashable, Sendable {
    /// The x data interval (`dataLim.intervalx`); +inf…-inf when empty.
    public var x0 = Double.infinity
    public var x1 = -Double.infinity
    /// The y data interval (`dataLim.intervaly`).
    public var y0 = Double.infinity
    public var y1 = -Double.infinity
    /// The smallest positive x and y (`dataLim.minposx`/`minposy`), for log scales.
    public var minposX = Double.infinity
    public var minposY = Double.infinity

    /// `Bbox.null()`: no data yet.
    public init() {}

    /// `Bbox.update_from_path`/`update_from_data_xy`: every vertex with
    /// both coordinates finite extends the limits of the axes it updates.
    public mutating func update(x: Double, y: Double, updateX: Bool = true, updateY: Bool = true) {
        guard x.isFinite, y.isFinite else { return }
        if updateX {
            if x < x0 { x0 = x }
            if x > x1 { x1 = x }
            if x > 0 && x < minposX { minposX = x }
        }
        if updateY {
            if y < y0 { y0 = y }
            if y > y1 { y1 = y }
            if y > 0 && y < minposY { minposY = y }
        }
    }

    /// The union with another data limit.
    public mutating func formUnion(_ o: DataLimits) {
        x0 = min(x0, o.x0)
        x1 = max(x1, o.x1)
        y0 = min(y0, o.y0)
        y1 = max(y1, o.y1)
        minposX = min(minposX, o.minposX)
        minposY = min(minposY, o.minposY)
    }

    func interval(isX: Bool) -> (Double, Double) { isX ? (x0, x1) : (y0, y1) }
    func minpos(isX: Bool) -> Double { isX ? minposX : minposY }
}

/// What adding one mark does to its axes: the data limits it contributes,
/// its sticky edges, and which axes it asks to autoscale.
struct MarkEffect {
    enum Request {
        case none
        case both
        case x
        case y
        /// `axvline`: autoscale x only if the value lies outside the current x bounds.
        case xIfOutside(Double)
        case yIfOutside(Double)
    }
    var limits = DataLimits()
    var stickyX: [Double] = []
    var stickyY: [Double] = []
    var request: Request = .none

    static func effect(of mark: Mark) -> MarkEffect {
        var e = MarkEffect()
        switch mark {
        case .line(let l):
            for i in 0..<min(l.x.count, l.y.count) { e.limits.update(x: l.x[i], y: l.y[i]) }
            e.request = .both
        case .scatter(let s):
            for i in 0..<min(s.x.count, s.y.count) { e.limits.update(x: s.x[i], y: s.y[i]) }
            e.request = .both
        case .bars(let b):
            barEffect(b, into: &e)
            e.request = .both
        case .errorBar(let eb):
            errorBarEffect(eb, into: &e)
            e.request = .both
        case .fill(let f):
            switch f.kind {
            case .band:
                // FillBetweenPolyCollection: points where x, y1 and y2 are all valid.
                let n = min(f.x.count, f.y.count, f.y2.count)
                for i in 0..<n where f.x[i].isFinite && f.y[i].isFinite && f.y2[i].isFinite {
                    e.limits.update(x: f.x[i], y: f.y[i])
                    e.limits.update(x: f.x[i], y: f.y2[i])
                }
            case .polygon:
                for i in 0..<min(f.x.count, f.y.count) { e.limits.update(x: f.x[i], y: f.y[i]) }
            }
            e.request = .both
        case .referenceLine(let r):
            if r.orientation == .vertical {
                e.limits.update(x: r.value, y: r.from, updateY: false)
                e.limits.update(x: r.value, y: r.to, updateY: false)
                e.request = .xIfOutside(r.value)
            } else {
                e.limits.update(x: r.from, y: r.value, updateX: false)
                e.limits.update(x: r.to, y: r.value, updateX: false)
                e.request = .yIfOutside(r.value)
            }
        case .span(let s):
            // A Rectangle((lo, from), hi - lo, to - from) on a blended transform.
            let x0 = s.lower
            let w = s.upper - s.lower
            let far = ((x0 + w) - x0) + x0
            if s.orientation == .vertical {
                e.limits.update(x: x0, y: s.from, updateY: false)
                e.limits.update(x: far, y: s.to, updateY: false)
                e.request = .x
            } else {
                e.limits.update(x: s.from, y: x0, updateX: false)
                e.limits.update(x: s.to, y: far, updateX: false)
                e.request = .y
            }
        case .text, .annotation:
            break
        }
        return e
    }

    /// `Axes.bar`/`barh`: one Rectangle per bar (`_update_patch_limits`
    /// over its corners), sticky at its base.
    private static func barEffect(_ b: BarMark, into e: inout MarkEffect) {
        func pick(_ a: [Double], _ i: Int, _ fallback: Double) -> Double {
            a.isEmpty ? fallback : (a.count == 1 ? a[0] : (i < a.count ? a[i] : fallback))
        }
        for i in 0..<b.positions.count {
            let w = pick(b.widths, i, 0.8)
            let v = i < b.values.count ? b.values[i] : .nan
            let base = pick(b.bottoms, i, 0)
            let along = b.align == .center ? b.positions[i] - w / 2 : b.positions[i]
            // Rectangle(xy, width, height) in data coordinates.
            let (rx, ry, rw, rh) =
                b.orientation == .vertical ? (along, base, w, v) : (base, along, v, w)
            if b.orientation == .vertical { e.stickyY.append(ry) } else { e.stickyX.append(rx) }
            if rw == 0 && rh == 0 { continue }
            // BboxTransformTo(Bbox.from_extents(x0, y0, x0 + w, y0 + h)).
            let farX = ((rx + rw) - rx) + rx
            let farY = ((ry + rh) - ry) + ry
            e.limits.update(x: rx, y: ry)
            e.limits.update(x: farX, y: ry)
            e.limits.update(x: farX, y: farY)
            e.limits.update(x: rx, y: farY)
        }
    }

    /// `Axes.errorbar`: the data line, and the error segments (`vlines`/
    /// `hlines`, which add the corners of their extent).
    private static func errorBarEffect(_ eb: ErrorBarMark, into e: inout MarkEffect) {
        let n = min(eb.x.count, eb.y.count)
        for i in 0..<n { e.limits.update(x: eb.x[i], y: eb.y[i]) }
        func segments(_ lower: [Double]?, _ upper: [Double]?, vertical: Bool) {
            guard let lower, let upper else { return }
            var seg = DataLimits()
            for i in 0..<n {
                let lo = lower.count == 1 ? lower[0] : (i < lower.count ? lower[i] : .nan)
                let hi = upper.count == 1 ? upper[0] : (i < upper.count ? upper[i] : .nan)
                if vertical {
                    seg.update(x: eb.x[i], y: eb.y[i] - lo)
                    seg.update(x: eb.x[i], y: eb.y[i] + hi)
                } else {
                    seg.update(x: eb.x[i] - lo, y: eb.y[i])
                    seg.update(x: eb.x[i] + hi, y: eb.y[i])
                }
            }
            guard seg.x0.isFinite else { return }
            e.limits.update(x: seg.x0, y: seg.y0)
            e.limits.update(x: seg.x1, y: seg.y1)
        }
        segments(eb.yErrLower, eb.yErrUpper, vertical: true)
        segments(eb.xErrLower, eb.xErrUpper, vertical: false)
    }
}

/// One axis' autoscaling inputs (`Axes.autoscale_view`'s
/// `handle_single_axis`), gathered over the axes sharing it.
struct AxisAutoscale {
    var scale: Scale
    var margin: Double
    /// The data interval ends of every sharing axes.
    var values: [Double]
    /// The smallest minpos of the sharing axes.
    var minpos: Double
    /// Sorted sticky edges of the sharing axes (empty if the margin is 0).
    var stickies: [Double]
    /// The scale's parameters (symlog constant, exponent).
    var parameters = ScaleTransform(scale: .linear)

    /// The scale coordinate margins are added in (log10 for every log
    /// base: the margin's fraction does not depend on it).
    func transform(_ v: Double) -> Double {
        switch scale {
        case .linear: v
        case .log: v <= 0 ? -1000 : log10(v)
        case .symlog, .pow: parameters.forward(v)
        }
    }

    func inverse(_ v: Double) -> Double {
        switch scale {
        case .linear: v
        case .log: pow(10, v)
        case .symlog, .pow: parameters.inverse(v)
        }
    }

    /// The locator's `nonsingular`.
    func nonsingular(_ a: Double, _ b: Double) -> (Double, Double) {
        scale == .log ? LogLocator.nonsingular(a, b, minpos: minpos) : mplNonsingular(a, b, expander: 0.05)
    }

    /// `LogScale.limit_range_for_scale`.
    static func limitRange(_ a: Double, _ b: Double, scale: Scale, minpos: Double) -> (Double, Double) {
        guard scale == .log else { return (a, b) }
        let mp = minpos.isFinite ? minpos : 1e-300
        return (a <= 0 ? mp : a, b <= 0 ? mp : b)
    }

    /// The new (increasing) view interval, or nil when there is no data and
    /// the view was already set (`mutated`).
    func autoscale(viewMutated: Bool) -> (Double, Double)? {
        let finite = values.filter(\.isFinite)
        var x0: Double
        var x1: Double
        if let lo = finite.min(), let hi = finite.max() {
            x0 = lo
            x1 = hi
        } else if viewMutated {
            return nil
        } else {
            x0 = -.infinity
            x1 = .infinity
        }
        (x0, x1) = nonsingular(x0, x1)
        var x0bound: Double? = nil
        var x1bound: Double? = nil
        if !stickies.isEmpty {
            let tol = 1e-5 * abs(x1 - x0)
            // searchsorted(side='left'): the number of elements < value.
            let i0 = stickies.firstIndex(where: { $0 >= x0 + tol }) ?? stickies.count
            if i0 - 1 >= 0 { x0bound = stickies[i0 - 1] }
            let i1 = stickies.firstIndex(where: { $0 >= x1 - tol }) ?? stickies.count
            if i1 != stickies.count { x1bound = stickies[i1] }
        }
        (x0, x1) = Self.limitRange(x0, x1, scale: scale, minpos: minpos)
        let x0t = transform(x0)
        let x1t = transform(x1)
        var delta = (x1t - x0t) * margin
        if !delta.isFinite { delta = 0 }
        x0 = inverse(x0t - delta)
        x1 = inverse(x1t + delta)
        if let b = x0bound { x0 = max(x0, b) }
        if let b = x1bound { x1 = min(x1, b) }
        // locator.view_limits ('data' autolimit mode).
        (x0, x1) = scale == .log ? nonsingular(x0, x1) : mplNonsingular(x0, x1, expander: 1e-12, tiny: 1e-13)
        return (x0, x1)
    }
}

extension Scales {
    /// `Axis._set_lim`'s clean-up of requested limits: the locator's
    /// `nonsingular` and the scale's `limit_range_for_scale`, keeping the
    /// requested direction.
    static func setLim(_ v0: Double, _ v1: Double, scale: Scale, minpos: Double) -> (Double, Double) {
        let reverse = v0 > v1
        var (a, b) =
            scale == .log
            ? LogLocator.nonsingular(v0, v1, minpos: minpos) : mplNonsingular(v0, v1, expander: 0.05)
        (a, b) = AxisAutoscale.limitRange(a, b, scale: scale, minpos: minpos)
        let lo = min(a, b)
        let hi = max(a, b)
        return reverse ? (hi, lo) : (lo, hi)
    }
}
