import Foundation

/// matplotlib's `ScalarFormatter` (no mathtext, no locale): an additive
/// offset (`_compute_offset`), an order of magnitude outside
/// `axes.formatter.limits` (`_set_order_of_magnitude`), a fixed number of
/// decimals for all labels (`_set_format`), U+2212 minus signs.
public struct ScalarFormatter: Hashable, Sendable {
    /// `axes.formatter.useoffset` / `set_useOffset`.
    public var useOffset: Bool
    /// `set_scientific`.
    public var scientific: Bool
    /// `axes.formatter.limits` / `set_powerlimits`.
    public var powerLimits: (Int, Int)
    /// `axes.formatter.offset_threshold`.
    public var offsetThreshold: Int
    /// State after `setLocs`.
    public private(set) var offset: Double = 0
    /// `_orderOfMagnitude` after `setLocs`.
    public private(set) var orderOfMagnitude: Int = 0
    /// The decimals of `_format` (`%1.{decimals}f`) after `setLocs`.
    public private(set) var decimals: Int = 0
    private var locs: [Double] = []

    /// `ScalarFormatter(useOffset=…)` with the rcParams passed in.
    public init(
        useOffset: Bool = true, scientific: Bool = true, powerLimits: (Int, Int) = (-5, 6), offsetThreshold: Int = 4
    ) {
        self.useOffset = useOffset
        self.scientific = scientific
        self.powerLimits = powerLimits
        self.offsetThreshold = offsetThreshold
    }

    /// Equal configuration and state.
    public static func == (a: ScalarFormatter, b: ScalarFormatter) -> Bool {
        a.useOffset == b.useOffset && a.scientific == b.scientific && a.powerLimits == b.powerLimits
            && a.offsetThreshold == b.offsetThreshold && a.offset == b.offset
            && a.orderOfMagnitude == b.orderOfMagnitude && a.decimals == b.decimals && a.locs == b.locs
    }

    /// Hashes the configuration and the locations.
    public func hash(into h: inout Hasher) {
        h.combine(useOffset)
        h.combine(scientific)
        h.combine(powerLimits.0)
        h.combine(powerLimits.1)
        h.combine(offsetThreshold)
        h.combine(locs)
    }

    /// `format_ticks(locs)`: `set_locs` then one label per location. `view`
    /// is the axis' view interval (either order).
    public mutating func formatTicks(_ values: [Double], view: (Double, Double)) -> [String] {
        setLocs(values, view: view)
        return values.map { label($0) }
    }

    /// `ScalarFormatter.set_locs`.
    public mutating func setLocs(_ values: [Double], view: (Double, Double)) {
        locs = values
        guard !locs.isEmpty else { return }
        if useOffset { computeOffset(view: view) }
        setOrderOfMagnitude(view: view)
        setFormat(view: view)
    }

    /// `ScalarFormatter.__call__`.
    public func label(_ x: Double) -> String {
        guard !locs.isEmpty else { return "" }
        var xp = (x - offset) / pow(10.0, Double(orderOfMagnitude))
        if abs(xp) < 1e-8 { xp = 0 }
        return PythonFormat.fixMinus(PythonFormat.percent("%1.\(decimals)f", xp))
    }

    /// `ScalarFormatter.get_offset` (the offset text, e.g. "1e−6", "+1e3").
    public var offsetText: String {
        guard !locs.isEmpty else { return "" }
        guard orderOfMagnitude != 0 || offset != 0 else { return "" }
        var offsetString = ""
        var sciString = ""
        if offset != 0 {
            offsetString = Self.formatData(offset)
            if offset > 0 { offsetString = "+" + offsetString }
        }
        if orderOfMagnitude != 0 { sciString = "1e\(orderOfMagnitude)" }
        return PythonFormat.fixMinus(sciString + offsetString)
    }

    /// `ScalarFormatter.format_data` without mathtext: "1.23456e5".
    static func formatData(_ value: Double) -> String {
        let e = Int(floor(log10(abs(value))))
        let s = PythonFormat.round(value / PythonFormat.tenTo(e), digits: 10)
        let significand = PythonFormat.fixMinus(
            s.truncatingRemainder(dividingBy: 1) == 0 ? PythonFormat.percentD(s) : PythonFormat.percent("%1.10g", s))
        if e == 0 { return significand }
        return significand + "e" + PythonFormat.fixMinus(String(e))
    }

    private mutating func computeOffset(view: (Double, Double)) {
        let vmin = min(view.0, view.1)
        let vmax = max(view.0, view.1)
        let visible = locs.filter { vmin <= $0 && $0 <= vmax }
        guard let lmin = visible.min(), let lmax = visible.max() else {
            offset = 0
            return
        }
        if lmin == lmax || (lmin <= 0 && 0 <= lmax) {
            offset = 0
            return
        }
        let absMin = min(abs(lmin), abs(lmax))
        let absMax = max(abs(lmin), abs(lmax))
        let sign = copysign(1.0, lmin)
        let oomMax = ceil(log10(absMax))
        func fd(_ a: Double, _ oom: Double) -> Double { PythonFormat.floorDiv(a, pow(10, oom)) }
        var oom = oomMax
        var guardCount = 0
        while fd(absMin, oom) == fd(absMax, oom), guardCount < 2000 {
            oom -= 1
            guardCount += 1
        }
        oom += 1
        if (absMax - absMin) / pow(10, oom) <= 1e-2 {
            oom = oomMax
            guardCount = 0
            while !(fd(absMax, oom) - fd(absMin, oom) > 1), guardCount < 2000 {
                oom -= 1
                guardCount += 1
            }
            oom += 1
        }
        let n = Double(offsetThreshold - 1)
        offset = fd(absMax, oom) >= pow(10, n) ? sign * fd(absMax, oom) * pow(10, oom) : 0
    }

    private mutating func setOrderOfMagnitude(view: (Double, Double)) {
        if !scientific {
            orderOfMagnitude = 0
            return
        }
        if powerLimits.0 == powerLimits.1 && powerLimits.0 != 0 {
            orderOfMagnitude = powerLimits.0
            return
        }
        let vmin = min(view.0, view.1)
        let vmax = max(view.0, view.1)
        let visible = locs.filter { vmin <= $0 && $0 <= vmax }.map { abs($0) }
        guard let val = visible.max() else {
            orderOfMagnitude = 0
            return
        }
        let oom: Int
        if offset != 0 {
            oom = Int(floor(log10(vmax - vmin)))
        } else if val == 0 {
            oom = 0
        } else {
            oom = Int(floor(log10(val)))
        }
        if oom <= powerLimits.0 || oom >= powerLimits.1 {
            orderOfMagnitude = oom
        } else {
            orderOfMagnitude = 0
        }
    }

    private mutating func setFormat(view: (Double, Double)) {
        let augmented = locs.count < 2 ? locs + [view.0, view.1] : locs
        let scale = pow(10.0, Double(orderOfMagnitude))
        var scaled = augmented.map { ($0 - offset) / scale }
        var locRange = (scaled.max() ?? 0) - (scaled.min() ?? 0)
        if locRange == 0 { locRange = scaled.map { abs($0) }.max() ?? 0 }
        if locRange == 0 { locRange = 1 }
        if locs.count < 2 { scaled.removeLast(2) }
        let locRangeOom = Int(floor(log10(locRange)))
        var sigfigs = max(0, 3 - locRangeOom)
        let thresh = 1e-3 * PythonFormat.tenTo(locRangeOom)
        while sigfigs >= 0 {
            let worst = scaled.map { abs($0 - PythonFormat.npRound($0, decimals: sigfigs)) }.max() ?? 0
            if worst < thresh {
                sigfigs -= 1
            } else {
                break
            }
        }
        sigfigs += 1
        decimals = sigfigs
    }
}

/// matplotlib's `LogFormatterSciNotation` (base 10, `labelOnlyBase` False,
/// `minor_thresholds` (1, 0.4)): `$\mathdefault{10^{2}}$` at decades,
/// `$\mathdefault{2\times10^{1}}$` between them when the axis spans few
/// decades, "" for the ticks `set_locs` decides not to label.
public struct LogFormatterSciNotation: Hashable, Sendable {
    /// The log base (`LogFormatter.set_base`).
    public var base: Double = 10
    /// Label only integer powers of the base.
    public var labelOnlyBase: Bool = false
    /// `minor_thresholds` (subset, all).
    public var minorThresholds: (Double, Double) = (1, 0.4)
    /// `_sublabels`: the coefficients labelled; nil = all.
    public private(set) var sublabels: Set<Double>? = nil

    /// `LogFormatterSciNotation(base=10, labelOnlyBase=…)`.
    public init(labelOnlyBase: Bool = false) { self.labelOnlyBase = labelOnlyBase }

    /// Equal configuration and state.
    public static func == (a: Self, b: Self) -> Bool {
        a.base == b.base && a.labelOnlyBase == b.labelOnlyBase && a.minorThresholds == b.minorThresholds
            && a.sublabels == b.sublabels
    }

    /// Hashes the configuration and state.
    public func hash(into h: inout Hasher) {
        h.combine(base)
        h.combine(labelOnlyBase)
        h.combine(sublabels)
    }

    /// `LogFormatter.set_locs`: which coefficients to label, from the view.
    public mutating func setLocs(view: (Double, Double)) {
        if minorThresholds.0.isInfinite {
            sublabels = nil
            return
        }
        let vmin = min(view.0, view.1)
        let vmax = max(view.0, view.1)
        if vmin <= 0 {
            sublabels = [1]
            return
        }
        let b = base
        let lmin = log(vmin) / log(b)
        let lmax = log(vmax) / log(b)
        let numticks = floor(lmax) - floor(lmin.nextDown)
        let numdec = abs(lmax - lmin)
        if numticks > minorThresholds.0 {
            sublabels = [1]
        } else if numdec > minorThresholds.1 {
            let n = Int(b) / 2 + 1
            var set = Set<Double>()
            for i in 0..<n {
                // np.geomspace(1, b, n), rounded.
                let c = i == 0 ? 1 : (i == n - 1 ? b : pow(b, Double(i) / Double(n - 1)))
                set.insert(PythonFormat.round(c))
            }
            sublabels = set
        } else {
            sublabels = Set(stride(from: 1.0, through: b, by: 1.0))
        }
    }

    /// `format_ticks`.
    public mutating func formatTicks(_ values: [Double], view: (Double, Double)) -> [String] {
        setLocs(view: view)
        return values.map { label($0) }
    }

    /// `LogFormatterMathtext.__call__` with the SciNotation non-decade format.
    public func label(_ xIn: Double) -> String {
        if xIn == 0 { return "$\\mathdefault{0}$" }
        let signString = xIn < 0 ? "-" : ""
        let x = abs(xIn)
        let b = base
        var fx = log(x) / log(b)
        let isDecade = PythonFormat.isClose(fx, PythonFormat.round(fx))
        let exponent = isDecade ? PythonFormat.round(fx) : floor(fx)
        let coeff = PythonFormat.round(pow(b, fx - exponent))
        if labelOnlyBase && !isDecade { return "" }
        if let sub = sublabels, !sub.contains(coeff) { return "" }
        if isDecade { fx = PythonFormat.round(fx) }
        let baseString =
            b.truncatingRemainder(dividingBy: 1) == 0 ? PythonFormat.percentD(b) : PythonFormat.repr(b)
        // axes.formatter.min_exponent is 0: never plain.
        if !isDecade {
            let e = floor(fx)
            var c = pow(b, fx - e)
            if PythonFormat.isClose(c, PythonFormat.round(c)) { c = PythonFormat.round(c) }
            return
                "$\\mathdefault{\(signString)\(PythonFormat.percent("%g", c))\\times\(baseString)^{\(PythonFormat.percentD(e))}}$"
        }
        return "$\\mathdefault{\(signString)\(baseString)^{\(PythonFormat.percentD(fx))}}$"
    }
}

/// matplotlib's `PercentFormatter(xmax, decimals)` with the '%' symbol.
public struct PercentFormatter: Hashable, Sendable {
    /// The data value shown as 100%.
    public var xmax: Double
    /// Fixed decimals; nil chooses them from the view range.
    public var decimals: Int?
    /// The appended symbol.
    public var symbol: String = "%"

    /// `PercentFormatter(xmax, decimals)`.
    public init(xmax: Double = 100, decimals: Int? = nil) {
        self.xmax = xmax
        self.decimals = decimals
    }

    /// `PercentFormatter.__call__` for the axis view `view`.
    public func label(_ x: Double, view: (Double, Double)) -> String {
        PythonFormat.fixMinus(formatPct(x, displayRange: abs(view.1 - view.0)))
    }

    func convert(_ x: Double) -> Double { 100.0 * (x / xmax) }

    /// `PercentFormatter.format_pct`.
    func formatPct(_ x: Double, displayRange: Double) -> String {
        let v = convert(x)
        var d: Int
        if let decimals {
            d = decimals
        } else {
            let scaled = convert(displayRange)
            if scaled <= 0 {
                d = 0
            } else {
                d = Int(ceil(2.0 - log10(2.0 * scaled)))
                d = min(5, max(0, d))
            }
        }
        return PythonFormat.percent("%0.\(d)f", v) + symbol
    }
}
