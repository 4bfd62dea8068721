import Foundation

// INTERIM: the contract between the scales (autoscale, locators, formatters)
// and the layout. The bodies below are placeholders to be replaced by the
// port of matplotlib's algorithms; the signatures are the contract.

/// One tick: its value in data coordinates and its label as matplotlib's
/// formatter writes it ("" where the label is not drawn; mathtext such as
/// `$\mathdefault{10^{2}}$` kept verbatim).
public struct Tick: Hashable, Sendable {
    public var value: Double
    public var label: String
    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// View limits as `ax.get_xlim()` returns them (lower > upper when inverted).
public struct ViewLimits: Hashable, Sendable {
    public var lower: Double
    public var upper: Double
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// An axis once its limits and ticks are known.
public struct ResolvedAxis: Hashable, Sendable {
    public var scale: Scale
    public var limits: ViewLimits
    /// Major ticks inside the view limits, in the order matplotlib draws them.
    public var major: [Tick]
    public var minor: [Tick]
    /// The ScalarFormatter's offset/multiplier text ("1e−5", "+1.4e3"), or "".
    public var offsetText: String
    public init(scale: Scale, limits: ViewLimits, major: [Tick], minor: [Tick], offsetText: String) {
        self.scale = scale
        self.limits = limits
        self.major = major
        self.minor = minor
        self.offsetText = offsetText
    }
}

public enum Scales {
    /// The view limits of every axes of `figure` (index-aligned with
    /// `figure.axes`), as matplotlib's autoscaling computes them: data limits
    /// of every mark, sticky edges, margins, explicit `set_xlim` ends, shared
    /// axes. They do not depend on the layout (`axes.autolimit_mode` 'data').
    public static func limits(_ figure: Figure) -> [(x: ViewLimits, y: ViewLimits)] {
        figure.axes.map { ax in
            (
                interimLimits(ax.x, ax.marks.flatMap { interimValues($0, x: true) }),
                interimLimits(ax.y, ax.marks.flatMap { interimValues($0, x: false) })
            )
        }
    }

    /// The ticks of one axis for the given view limits: the axis's fixed
    /// ticks, or the scale's default locator (`AutoLocator` with
    /// nbins 'auto' from `lengthPoints` and `tickLabelSize`, or `LogLocator`)
    /// and formatter (`ScalarFormatter`, `LogFormatterSciNotation`).
    public static func ticks(
        _ axis: Axis, limits: ViewLimits, isX: Bool, lengthPoints: Double, tickLabelSize: Double, theme: Theme
    ) -> ResolvedAxis {
        if let fixed = axis.ticks {
            let labels = axis.tickLabels ?? fixed.map { String(format: "%g", $0) }
            let ticks = zip(fixed, labels).map { Tick(value: $0, label: $1) }
            return ResolvedAxis(scale: axis.scale, limits: limits, major: ticks, minor: [], offsetText: "")
        }
        let lo = min(limits.lower, limits.upper)
        let hi = max(limits.lower, limits.upper)
        let step = pow(10, floor(log10(max(hi - lo, 1e-300))))
        var values: [Double] = []
        var v = ceil(lo / step) * step
        while v <= hi {
            values.append(v)
            v += step
        }
        return ResolvedAxis(
            scale: axis.scale, limits: limits, major: values.map { Tick(value: $0, label: String(format: "%g", $0)) },
            minor: [], offsetText: "")
    }

    private static func interimLimits(_ axis: Axis, _ values: [Double]) -> ViewLimits {
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0
        var hi = finite.max() ?? 1
        if lo == hi {
            lo -= 1
            hi += 1
        }
        let m = (hi - lo) * 0.05
        return ViewLimits(lower: axis.lower ?? lo - m, upper: axis.upper ?? hi + m)
    }

    private static func interimValues(_ mark: Mark, x: Bool) -> [Double] {
        switch mark {
        case .line(let l): return x ? l.x : l.y
        case .scatter(let s): return x ? s.x : s.y
        case .bars(let b): return x ? b.positions : b.values + [0]
        case .errorBar(let e): return x ? e.x : e.y
        case .fill(let f): return x ? f.x : f.y + f.y2
        default: return []
        }
    }
}
