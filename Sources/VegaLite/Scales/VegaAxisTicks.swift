import FigureModel
import Foundation

/// Vega's axis ticks on top of d3 (vega-scale `tickCount`, `validTicks`,
/// `tickValues`, `tickFormat`, `tickLog`; vega-encode `AxisTicks`; the
/// number formats of vega-format), for continuous position scales.
public enum VegaAxisTicks {
    /// The ticks and labels of an axis: `count` is the axis `tickCount`
    /// (nil: the number of `values`, or 10), `minStep` its `tickMinStep`,
    /// `values` its explicit `values` (kept when inside `range`), `bins`
    /// the scale's bin boundaries, `specifier` its `format`.
    public static func ticks(
        scale: ContinuousScale, range: (Double, Double), count: Double? = nil, minStep: Double? = nil,
        values: [Double]? = nil, bins: [Double]? = nil, specifier: String? = nil
    ) throws(D3FormatError) -> [Tick] {
        let tally = count ?? Double(values?.count ?? 10)
        let n = tickCount(scale: scale, count: tally, minStep: minStep, bins: bins)
        let format = try tickFormat(scale: scale, count: n, specifier: specifier, noSkip: values != nil || bins != nil)
        let chosen: [Double]
        if let values {
            chosen = validTicks(scale: scale, range: range, ticks: values, count: n)
        } else if let bins {
            chosen = validTicks(scale: scale, range: range, ticks: bins, count: n)
        } else {
            chosen = scale.ticks(count: n)
        }
        return chosen.map { Tick(value: $0, label: format($0)) }
    }

    /// vega-scale `tickCount`: the count, raised to the number of bins,
    /// and lowered so that ticks are at least `minStep` apart.
    public static func tickCount(scale: ContinuousScale, count: Double, minStep: Double?, bins: [Double]? = nil)
        -> Double
    {
        var count = count
        if let bins { count = Swift.max(count, Double(bins.count)) }
        if let minStep {
            let lo = Swift.min(scale.domain.0, scale.domain.1)
            let hi = Swift.max(scale.domain.0, scale.domain.1)
            var steps = ((hi - lo) / minStep).rounded(.down)
            if steps == 0 || steps.isNaN { steps = 1 }  // JavaScript's `|| 1`
            count = Swift.min(count, steps + 1)
            if bins == nil && !scale.isLogarithmic && lo < hi {
                while count > 1 && D3Ticks.tickStep(lo, hi, count: count) < minStep { count -= 1 }
            }
        }
        return count
    }

    /// vega-scale `validTicks`: the values whose position lies in `range`
    /// (widened to whole pixels), in range order, thinned by halves while
    /// more than `count` remain (down to the two ends when fewer than three).
    public static func validTicks(scale: ContinuousScale, range: (Double, Double), ticks: [Double], count: Double)
        -> [Double]
    {
        var lo = range.0
        var hi = range.1
        let descending = lo > hi
        if descending { swap(&lo, &hi) }
        lo = lo.rounded(.down)
        hi = hi.rounded(.up)
        let placed = ticks.enumerated().map {
            (offset: $0.offset, value: $0.element, at: scale.scale($0.element, range: range))
        }
        .filter { lo <= $0.at && $0.at <= hi }
        .sorted { a, b in
            // A stable sort by position, as JavaScript's.
            if a.at != b.at { return descending ? a.at > b.at : a.at < b.at }
            return a.offset < b.offset
        }
        var out = placed.map(\.value)
        if count > 0 && out.count > 1, let first = out.first, let last = out.last {
            while Double(out.count) > count && out.count >= 3 {
                out = out.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            }
            if out.count < 3 { out = [first, last] }
        }
        return out
    }

    /// vega-scale `tickFormat` for continuous scales: log scales label with
    /// `formatFloat(specifier)` and leave blank the values `tickLog` skips
    /// (unless `noSkip`: explicit values or bins); the others use
    /// `formatSpan` over the domain.
    public static func tickFormat(scale: ContinuousScale, count: Double, specifier: String?, noSkip: Bool = false)
        throws(D3FormatError) -> @Sendable (Double) -> String
    {
        guard case .log(let base) = scale.kind else {
            return try formatSpan(scale.domain.0, scale.domain.1, count: count, specifier: specifier)
        }
        let format = try formatFloat(specifier)
        if noSkip { return format }
        let k = Swift.max(1, base * count / Double(scale.ticks(count: count).count))
        let logb = Foundation.log(base)
        return { d in
            var i = d / Foundation.pow(base, JavaScriptFormatting.round(Foundation.log(d) / logb))
            if i * base < base - 0.5 { i *= base }
            return i <= k ? format(d) : ""
        }
    }

    /// vega-format `formatSpan`: d3's tick format over [start, stop]
    /// (`,f` by default), the SI prefix of type `s` fixed only when the
    /// specifier has no precision.
    public static func formatSpan(_ start: Double, _ stop: Double, count: Double, specifier: String?)
        throws(D3FormatError) -> @Sendable (Double) -> String
    {
        try ContinuousScale.spanFormat(start, stop, count: count, specifier: specifier, prefixAlways: false)
    }

    /// vega-format `formatFloat`: the specifier (`,` when nil or empty);
    /// without a precision, 12 significant digits (10 for `%`, 11 for `e`)
    /// and trailing fraction zeros trimmed.
    public static func formatFloat(_ specifier: String?) throws(D3FormatError) -> @Sendable (Double) -> String {
        var s = try D3FormatSpecifier(parsing: (specifier?.isEmpty ?? true) ? "," : specifier ?? ",")
        guard s.precision == nil else {
            let format = D3Format(s)
            return { format($0) }
        }
        s.precision = s.type == "%" ? 10 : s.type == "e" ? 11 : 12
        let format = D3Format(s)
        return { trimZeroes(format($0)) }
    }

    /// vega-format's `trimZeroes` with "." as the decimal point: trailing
    /// zeros of the fraction go (and the point with them), keeping any
    /// exponent or suffix after the last digit.
    static func trimZeroes(_ str: String) -> String {
        let c = Array(str)
        guard let dec = c.firstIndex(of: ".") else { return str }
        var idx: Int
        if let e = c.lastIndex(of: "e"), e > 0 {
            idx = e
        } else {
            var i = c.count - 1
            var found: Int? = nil
            while i > dec {
                if c[i].isASCII, c[i].isNumber {
                    found = i + 1
                    break
                }
                i -= 1
            }
            guard let found else { return str }
            idx = found
        }
        let end = idx < c.count ? String(c[idx...]) : ""
        idx -= 1
        while idx > dec {
            if c[idx] != "0" {
                idx += 1
                break
            }
            idx -= 1
        }
        return String(c[..<idx]) + end
    }
}

/// Vega's `nice` scale parameter.
public enum VegaNice: Sendable, Equatable {
    case off
    /// `true`: d3's default of 10 ticks.
    case on
    /// A tick count.
    case count(Double)
}

extension ContinuousScale {
    /// The domain Vega gives the scale (vega-encode `Scale`'s
    /// `configureDomain`): the data extent, extended to zero when `zero`
    /// (nil: Vega's default, true for linear and pow scales without bins),
    /// `domainMin`/`domainMax` put in, then made nice. Vega's domain
    /// padding (`padding` in pixels) is not applied.
    public static func vegaDomain(
        _ kind: Kind, extent: (Double, Double), zero: Bool? = nil, domainMin: Double? = nil,
        domainMax: Double? = nil, nice: VegaNice = .off, hasBins: Bool = false
    ) -> ContinuousScale {
        var d = extent
        var includeZero = false
        if let zero {
            includeZero = zero
        } else if !hasBins {
            switch kind {
            case .linear, .pow: includeZero = true
            default: includeZero = false
            }
        }
        if includeZero {
            if d.0 > 0 { d.0 = 0 }
            if d.1 < 0 { d.1 = 0 }
        }
        if let domainMin { d.0 = domainMin }
        if let domainMax { d.1 = domainMax }
        let scale = ContinuousScale(kind, domain: d)
        switch nice {
        case .off: return scale
        case .on: return scale.nice(count: 10)
        case .count(let n): return scale.nice(count: n != 0 && !n.isNaN ? n : 10)
        }
    }
}
