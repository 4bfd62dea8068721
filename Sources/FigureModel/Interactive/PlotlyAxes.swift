import Foundation

// plotly.js's cartesian axes, as its `autorange.js` and `axes.js` compute
// them: the automatic range from the traces', shapes' and annotations'
// extremes (with their pixel pads), the automatic ticks (`autoTicks`,
// `tickFirst`, `tickIncrement`, `calcTicks`) and the tick labels
// (`tickText`, `numFormat` with `exponentformat`). Values are in plotly's
// linearized units: log10 of the data on a log axis.

/// One end of an axis' extent: a linearized value and the pixels the drawing
/// needs beyond it (`pad`), plus plotly's 5 % of the axis length when `extrapad`.
struct PlotlyExtreme: Hashable {
    var value: Double
    var pad: Double
    var extrapad: Bool
}

/// The extremes plotly's autorange fits into an axis (`_extremes`).
struct PlotlyExtremes: Hashable {
    var lower: [PlotlyExtreme] = []
    var upper: [PlotlyExtreme] = []

    /// `findExtremes`: `values` in data units (log10 taken on a log axis),
    /// with pixel pads towards lower and higher values; a scalar pad reduces
    /// the values to their minimum and maximum first, as plotly does.
    mutating func add(
        _ values: [Double], log: Bool, padLower: [Double], padUpper: [Double], padded: Bool, toZero: Bool = false
    ) {
        var vals = values
        var lowerPads = padLower
        var upperPads = padUpper
        if padLower.count <= 1, padUpper.count <= 1 {
            let usable = values.filter { $0.isFinite && (!log || $0 > 0) }
            guard let lo = usable.min(), let hi = usable.max() else { return }
            vals = [lo, hi]
            lowerPads = [padLower.first ?? 0, padLower.first ?? 0]
            upperPads = [padUpper.first ?? 0, padUpper.first ?? 0]
        }
        let zero = toZero && !log
        for (i, v) in vals.enumerated() where v.isFinite && (!log || v > 0) {
            var l = log ? log10(v) : v
            var u = l
            if zero {
                l = Swift.min(0, l)
                u = Swift.max(0, u)
            }
            let pl = Swift.max(i < lowerPads.count ? lowerPads[i] : 0, 0)
            let pu = Swift.max(i < upperPads.count ? upperPads[i] : 0, 0)
            Self.insert(&lower, PlotlyExtreme(value: l, pad: pl, extrapad: padded), toZero: zero, beyond: <=)
            Self.insert(&upper, PlotlyExtreme(value: u, pad: pu, extrapad: padded), toZero: zero, beyond: >=)
        }
    }

    /// Adds every extreme of `other`, its pads scaled (a matched axis of another length).
    mutating func add(_ other: PlotlyExtremes, padScale: Double = 1) {
        for e in other.lower {
            Self.insert(&lower, PlotlyExtreme(value: e.value, pad: e.pad * padScale, extrapad: e.extrapad), beyond: <=)
        }
        for e in other.upper {
            Self.insert(&upper, PlotlyExtreme(value: e.value, pad: e.pad * padScale, extrapad: e.extrapad), beyond: >=)
        }
    }

    /// plotly's `collapseMinArgs`/`collapseMaxArgs`: an extreme that another
    /// one lies beyond with at least its pad is dropped.
    static func insert(
        _ list: inout [PlotlyExtreme], _ e: PlotlyExtreme, toZero: Bool = false,
        beyond: (Double, Double) -> Bool
    ) {
        var i = 0
        while i < list.count {
            let u = list[i]
            if beyond(u.value, e.value), u.pad >= e.pad, u.extrapad || !e.extrapad { return }
            if beyond(e.value, u.value), u.pad <= e.pad, e.extrapad || !u.extrapad {
                list.remove(at: i)
                continue
            }
            i += 1
        }
        let atZero = toZero && e.value == 0
        list.append(PlotlyExtreme(value: e.value, pad: atZero ? 0 : e.pad, extrapad: atZero ? false : e.extrapad))
    }

    /// `getAutoRange` for an axis `length` pixels long: the linearized range
    /// in which every extreme keeps its pad (5 % of the length for padded ones).
    func autoRange(length: Double) -> (Double, Double)? {
        guard var lo = lower.first?.value, var hi = upper.first?.value else { return nil }
        var i = 1
        while i < lower.count, lo == hi {
            lo = Swift.min(lo, lower[i].value)
            i += 1
        }
        i = 1
        while i < upper.count, lo == hi {
            hi = Swift.max(hi, upper[i].value)
            i += 1
        }
        if lo == hi { return (lo - 1, lo + 1) }
        let extra = 0.05 * length
        func pad(_ e: PlotlyExtreme?) -> Double { e.map { $0.pad + ($0.extrapad ? extra : 0) } ?? 0 }
        var best = 0.0
        var bestLower: PlotlyExtreme? = nil
        var bestUpper: PlotlyExtreme? = nil
        for a in lower {
            for b in upper {
                let dv = b.value - a.value
                guard dv > 0 else { continue }
                let dp = length - pad(a) - pad(b)
                if dp > length / 10 {
                    if dv / dp > best {
                        (bestLower, bestUpper, best) = (a, b, dv / dp)
                    }
                } else if dv / length > best {
                    (bestLower, bestUpper, best) = (nil, nil, dv / length)
                    lo = a.value
                    hi = b.value
                }
            }
        }
        guard best > 0 else { return (lo - 1, lo + 1) }
        if let a = bestLower, let b = bestUpper {
            return (a.value - best * pad(a), b.value + best * pad(b))
        }
        return (lo, hi)
    }
}

/// One tick of a plotly axis: its linearized value, its label (plain text,
/// or matplotlib mathtext for plotly's `<sup>` powers) and the label's size
/// relative to the tick font (plotly draws minor log digits at 0.75, powers at 1.25).
public struct PlotlyTick: Hashable, Sendable {
    public var value: Double
    public var label: String
    public var sizeScale: Double
}

/// The tick settings of one plotly axis.
struct PlotlyTickSpec {
    var log: Bool
    /// `x…` axes get a tick per 80 px, `y…` axes one per 40 px (`prepTicks`).
    var isX: Bool
    var nticks: Int = 0
    var dtick: PlotlyDTick? = nil
    var tick0: Double = 0
    var tickformat: String = ""
    var tickprefix: String = ""
    var ticksuffix: String = ""
    var exponentformat: String = "B"
    var showexponent: String = "all"
    var minexponent: Double = 3
    var separatethousands = false

    init(log: Bool, isX: Bool) {
        self.log = log
        self.isX = isX
    }

    /// An axis' own settings (`tickformat`, `exponentformat`, …).
    init(axis a: PlotObject, log: Bool, isX: Bool) {
        self.init(log: log, isX: isX)
        nticks = Int(a["nticks"]?.numberValue ?? 0)
        if a["tickmode"]?.stringValue != "auto" {
            if let d = a["dtick"]?.numberValue, d > 0 {
                dtick = .number(d)
            } else if let s = a["dtick"]?.stringValue, let d = PlotlyDTick(s) {
                dtick = d
            }
            tick0 = a["tick0"]?.numberValue ?? 0
        }
        tickformat = a["tickformat"]?.stringValue ?? ""
        tickprefix = a["tickprefix"]?.stringValue ?? ""
        ticksuffix = a["ticksuffix"]?.stringValue ?? ""
        exponentformat = a["exponentformat"]?.stringValue ?? "B"
        showexponent = a["showexponent"]?.stringValue ?? "all"
        minexponent = a["minexponent"]?.numberValue ?? 3
        separatethousands = a["separatethousands"]?.boolValue ?? false
    }
}

/// plotly's `dtick`: a step in linearized units, `L<f>` (a linear step on a
/// log axis), or `D1`/`D2` (log ticks at 1–9 or 1, 2, 5 in every decade).
enum PlotlyDTick: Hashable {
    case number(Double)
    case linear(Double)
    case digits(all: Bool)

    init?(_ s: String) {
        if s == "D1" {
            self = .digits(all: true)
        } else if s == "D2" {
            self = .digits(all: false)
        } else if s.hasPrefix("L"), let f = Double(s.dropFirst()), f > 0 {
            self = .linear(f)
        } else {
            return nil
        }
    }
}

enum PlotlyTicks {
    static let minus = "\u{2212}"
    static let allDigits = [-0.046, 0, 0.301, 0.477, 0.602, 0.699, 0.778, 0.845, 0.903, 0.954, 1]
    static let twoFive = [-0.301, 0, 0.301, 0.699, 1]
    static let siPrefixes = ["f", "p", "n", "μ", "m", "", "k", "M", "G", "T"]

    /// `Lib.roundUp`: the first element of the sorted `array` at or above
    /// `v` (at or below when `reverse`), by plotly's bisection.
    static func roundUp(_ v: Double, _ array: [Double], reverse: Bool = false) -> Double {
        var low = 0
        var high = array.count - 1
        var c = 0
        while low < high, c < 100 {
            c += 1
            let midD = Double(low + high) / 2
            let mid = Int(reverse ? midD.rounded(.up) : midD.rounded(.down))
            if array[mid] <= v { low = mid + (reverse ? 0 : 1) } else { high = mid - (reverse ? 1 : 0) }
        }
        return array[low]
    }

    /// `roundDTick`: `base` times the first of `steps` at or above `rough / base`.
    static func roundDTick(_ rough: Double, base: Double, steps: [Double]) -> Double {
        base * roundUp(rough / base, steps)
    }

    static func positiveMod(_ v: Double, _ m: Double) -> Double {
        let r = v.truncatingRemainder(dividingBy: m)
        return r < 0 ? r + m : r
    }

    /// One decimal, as d3's `round(x, 1)`.
    static func roundOneDecimal(_ v: Double) -> Double { (v * 10).rounded() / 10 }

    /// `autoTicks` for linear and log axes: the dtick for a rough step in linearized units.
    static func autoDTick(rough: Double, log: Bool, range: (Double, Double)) -> PlotlyDTick {
        func base(_ r: Double) -> Double { pow(10, (Foundation.log(r) / M_LN10).rounded(.down)) }
        if log {
            if rough > 0.7 { return .number(rough.rounded(.up)) }
            if abs(range.1 - range.0) < 1 {
                let n = 1.5 * abs((range.1 - range.0) / rough)
                let r = abs(pow(10, range.1) - pow(10, range.0)) / n
                return .linear(roundDTick(r, base: base(r), steps: [2, 5, 10]))
            }
            return .digits(all: rough <= 0.3)
        }
        let d = roundDTick(rough, base: base(rough), steps: [2, 5, 10])
        return .number(d == 0 ? 1 : d)
    }

    /// `tickIncrement`.
    static func increment(_ x: Double, _ d: PlotlyDTick, reverse: Bool = false) -> Double {
        let sign = reverse ? -1.0 : 1.0
        switch d {
        case .number(let s): return x + sign * s
        case .linear(let f): return log10(pow(10, x) + sign * f)
        case .digits(let all):
            let l = x + sign * 0.01
            let u = roundUp(positiveMod(l, 1), all ? allDigits : twoFive, reverse: reverse)
            return l.rounded(.down) + log10(roundOneDecimal(pow(10, u)))
        }
    }

    /// `tickFirst`: the first tick at or after the range's start.
    static func first(_ lo: Double, _ d: PlotlyDTick, tick0: Double) -> Double {
        switch d {
        case .number(let s): return ((lo - tick0) / s).rounded(.up) * s + tick0
        case .linear(let f): return log10(((pow(10, lo) - tick0) / f).rounded(.up) * f + tick0)
        case .digits(let all):
            let w = roundUp(positiveMod(lo, 1), all ? allDigits : twoFive)
            return lo.rounded(.down) + log10(roundOneDecimal(pow(10, w)))
        }
    }

    /// `calcTicks` with automatic (or fixed `dtick`) ticks over a linearized
    /// `range` of an axis `length` pixels long.
    static func ticks(_ spec: PlotlyTickSpec, range: (Double, Double), length: Double) -> [PlotlyTick] {
        // plotly widens the range by 1e-4 of its span on both sides to find the ticks.
        let (lo, hi) = widened(range)
        guard hi > lo, lo.isFinite, hi.isFinite else { return [] }
        var dtick: PlotlyDTick
        if let d = spec.dtick {
            dtick = d
        } else {
            var n = Double(spec.nticks)
            if n == 0 { n = Swift.max(4, Swift.min(9, length / (spec.isX ? 80 : 40))) + 1 }
            dtick = autoDTick(rough: abs(range.1 - range.0) / n, log: spec.log, range: range)
        }
        let tick0 = spec.log ? 0 : spec.tick0
        let format = Format(spec: spec, range: range, dtick: dtick)
        var values: [Double] = []
        var x = first(lo, dtick, tick0: tick0)
        var previous = Double.nan
        while x <= hi, values.count <= Swift.max(1000, Int(length)), x != previous {
            previous = x
            values.append(snapped(x, tick0: tick0, dtick))
            x = increment(x, dtick)
        }
        return values.map { format.text($0) }
    }

    /// The range, low end first, widened by 1e-4 of its span on both sides (`getTickBounds`).
    static func widened(_ range: (Double, Double)) -> (Double, Double) {
        let lo = Swift.min(range.0, range.1)
        let hi = Swift.max(range.0, range.1)
        let pad = (hi - lo) * 1e-4
        return (lo - pad, hi + pad)
    }

    /// plotly's tick values cleaned onto `tick0 + k·dtick` when within 1e-6 of a step.
    static func snapped(_ x: Double, tick0: Double, _ d: PlotlyDTick) -> Double {
        guard case .number(let s) = d, s != 0 else { return x }
        let n = tick0 + ((x - tick0) / s).rounded() * s
        return x != n && abs(x - n) < abs(s) * 1e-6 ? n : x
    }

    /// The label format of one axis: `autoTickRound`'s rounding and exponent.
    struct Format {
        var spec: PlotlyTickSpec
        var dtick: PlotlyDTick
        var round: Int?
        var exponent: Int

        init(spec: PlotlyTickSpec, range: (Double, Double), dtick: PlotlyDTick) {
            self.spec = spec
            self.dtick = dtick
            let data = spec.log ? (pow(10, range.0), pow(10, range.1)) : range
            switch dtick {
            case .number(let s):
                (round, exponent) = Self.roundAndExponent(
                    step: s, data: data, format: spec.exponentformat, minExponent: spec.minexponent)
            case .linear(let f):
                (round, exponent) = Self.roundAndExponent(
                    step: f, data: data, format: spec.exponentformat, minExponent: spec.minexponent)
            case .digits:
                (round, exponent) = (nil, 0)
            }
        }

        /// `autoTickRound` for a numeric step: decimals to show and the exponent factored out.
        static func roundAndExponent(
            step: Double, data: (Double, Double), format: String, minExponent: Double
        ) -> (Int, Int) {
            let round = 2 - Int((log10(step) + 0.01).rounded(.down))
            let top = Swift.max(abs(data.0), abs(data.1))
            let l = Int((log10(top) + 0.01).rounded(.down))
            guard Double(abs(l)) > minExponent else { return (round, 0) }
            if PlotlyTicks.siLike(format), !PlotlyTicks.beyondSI(l, format) {
                return (round, 3 * Int((Double(l - 1) / 3).rounded(.toNearestOrAwayFromZero)))
            }
            return (round, l)
        }

        /// `tickText` for a linearized value.
        func text(_ x: Double) -> PlotlyTick {
            var tick = PlotlyTick(value: x, label: "", sizeScale: 1)
            if spec.log {
                logText(x, &tick)
            } else {
                let hide = abs(x / stepValue) < 1e-6 ? "hide" : ""
                tick.label = number(x, round: round ?? 0, exponent: exponent, format: hide)
            }
            tick.label = spec.tickprefix + tick.label + spec.ticksuffix
            return tick
        }

        var stepValue: Double {
            switch dtick {
            case .number(let s): return s
            case .linear(let f): return f
            case .digits: return 1
            }
        }

        /// plotly's `formatLog`.
        func logText(_ x: Double, _ tick: inout PlotlyTick) {
            let value = pow(10, x)
            if !spec.tickformat.isEmpty {
                tick.label = number(value, round: round ?? 0, exponent: exponent, format: "")
                return
            }
            if case .linear = dtick {
                tick.label = number(value, round: round ?? 0, exponent: exponent, format: "")
                return
            }
            let isDecade = PlotlyTicks.positiveMod(x + 0.01, 1) < 0.1
            if case .digits = dtick, !isDecade {
                tick.label = String(Int(pow(10, PlotlyTicks.positiveMod(x, 1)).rounded()))
                tick.sizeScale = 0.75
                return
            }
            let p = Int(x.rounded())
            let f = spec.exponentformat
            if f == "power" || PlotlyTicks.beyondSI(p, f) {
                tick.label = p == 0 ? "1" : p == 1 ? "10" : "$\\mathdefault{10^{\(p < 0 ? "-" : "")\(abs(p))}}$"
                tick.sizeScale = 1.25
            } else if (f == "e" || f == "E") && abs(p) > 2 {
                tick.label = "1\(f)\(p > 0 ? "+" : PlotlyTicks.minus)\(abs(p))"
            } else {
                // "fakehover": the value's own rounding and exponent.
                let (r, e) = Self.roundAndExponent(
                    step: value, data: (0, value), format: f, minExponent: spec.minexponent)
                tick.label = number(value, round: r + 4, exponent: e, format: "")
            }
        }

        /// plotly's `numFormat`.
        func number(_ v: Double, round a: Int, exponent s: Int, format hide: String) -> String {
            if !spec.tickformat.isEmpty {
                let text = PlotlyTicks.d3Format(spec.tickformat, v)
                return text.replacingOccurrences(of: "-", with: PlotlyTicks.minus)
            }
            var fmt = hide.isEmpty ? spec.exponentformat : hide
            var s = fmt == "none" ? 0 : s
            if spec.exponentformat == "none" { s = 0 }
            var negative = v < 0
            var e = abs(v)
            var a = a
            var text: String
            if e < pow(10, Double(-a)) / 2 {
                text = "0"
                negative = false
            } else {
                if s != 0 {
                    e *= pow(10, Double(-s))
                    a += s
                }
                if a == 0 {
                    text = String(format: "%.0f", e.rounded(.toNearestOrAwayFromZero))
                } else if a < 0 {
                    let d = pow(10, Double(-a))
                    text = String(format: "%.0f", (e / d).rounded(.toNearestOrAwayFromZero) * d)
                } else {
                    text = String(format: "%.\(Swift.min(20, a))f", e)
                    if text.contains(".") {
                        while text.hasSuffix("0") { text.removeLast() }
                        if text.hasSuffix(".") { text.removeLast() }
                    }
                }
                text = PlotlyTicks.separated(text, thousands: spec.separatethousands)
            }
            if s != 0, fmt != "hide" {
                if PlotlyTicks.beyondSI(s, fmt) { fmt = "power" }
                let h = s < 0 ? PlotlyTicks.minus + String(-s) : fmt != "power" ? "+\(s)" : String(s)
                if fmt == "e" || fmt == "E" {
                    text += fmt + h
                } else if fmt == "power" {
                    text = "$\\mathdefault{\(text)\\times10^{\(s < 0 ? "-" : "")\(abs(s))}}$"
                } else if fmt == "B", s == 9 {
                    text += "B"
                } else if PlotlyTicks.siLike(fmt), (s / 3 + 5) >= 0, (s / 3 + 5) < PlotlyTicks.siPrefixes.count {
                    text += PlotlyTicks.siPrefixes[s / 3 + 5]
                }
            }
            return negative ? PlotlyTicks.minus + text : text
        }
    }

    static func siLike(_ f: String) -> Bool { f == "SI" || f == "B" || f == "SI extended" }

    /// An exponent SI's prefixes do not reach (plotly then writes a power).
    static func beyondSI(_ e: Int, _ f: String) -> Bool {
        guard siLike(f) else { return false }
        return f == "SI extended" ? (e > 32 || e < -30) : (e > 14 || e < -15)
    }

    /// `Lib.numSeparate` with plotly's default separators (".,"): thousands
    /// are grouped when asked, or when the number has decimals or more than four digits.
    static func separated(_ s: String, thousands: Bool) -> String {
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var integer = String(parts.first ?? "")
        let decimals = parts.count > 1 ? "." + parts[1] : ""
        if parts.count > 1 || integer.count > 4 || thousands {
            var out = ""
            for (i, c) in integer.reversed().enumerated() {
                if i > 0, i % 3 == 0 { out.append(",") }
                out.append(c)
            }
            integer = String(out.reversed())
        }
        return integer + decimals
    }

    /// A d3 format as Python's format spec (the two agree on the specs plotly
    /// figures use: `.0%`, `.2f`, `,d`, `.3s` aside).
    static func d3Format(_ format: String, _ v: Double) -> String {
        let spec = format.replacingOccurrences(of: "~", with: "")
        guard let f = PythonFormatSpec(spec) else { return PythonFormat.repr(v) }
        return f.format(v)
    }
}
