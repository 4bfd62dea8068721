import Foundation

// The contract between the scales (autoscale, locators, formatters) and the
// layout: `Scales.limits` (autoscaling, matplotlib's `Axes.autoscale_view`)
// and `Scales.ticks` (`Axis._update_ticks`). A port of matplotlib 3.11.2.

/// One tick: its value in data coordinates and its label as matplotlib's
/// formatter writes it ("" where the label is not drawn; mathtext such as
/// `$\mathdefault{10^{2}}$` kept verbatim).
public struct Tick: Hashable, Sendable {
    /// The tick location in data coordinates.
    public var value: Double
    /// The label text ("" when not drawn).
    public var label: String
    /// A tick at `value` labelled `label`.
    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// View limits as `ax.get_xlim()` returns them (lower > upper when inverted).
public struct ViewLimits: Hashable, Sendable {
    /// `get_xlim()[0]` and `[1]`.
    public var lower: Double
    public var upper: Double
    /// View limits as `set_xlim(lower, upper)` gives them.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// An axis once its limits and ticks are known.
public struct ResolvedAxis: Hashable, Sendable {
    /// The axis scale and its view limits.
    public var scale: Scale
    public var limits: ViewLimits
    /// Major ticks inside the view limits, in the order matplotlib draws them.
    public var major: [Tick]
    public var minor: [Tick]
    /// The ScalarFormatter's offset/multiplier text ("1e−5", "+1.4e3"), or "".
    public var offsetText: String
    /// The scale with its parameters (log base, symlog constant, exponent).
    public var transform: ScaleTransform
    /// An axis with its ticks resolved; `transform` nil: the scale's defaults.
    public init(
        scale: Scale, limits: ViewLimits, major: [Tick], minor: [Tick], offsetText: String,
        transform: ScaleTransform? = nil
    ) {
        self.transform = transform ?? ScaleTransform(scale: scale)
        self.scale = scale
        self.limits = limits
        self.major = major
        self.minor = minor
        self.offsetText = offsetText
    }
}

/// matplotlib's autoscaling, locators and formatters for figpipe's figure
/// model (matplotlib 3.11.2, default rcParams with the theme's
/// `axes.xmargin`/`ymargin`, `axes.formatter.limits` and
/// `axes.formatter.offset_threshold`).
public enum Scales {
    /// The view limits of every axes of `figure` (index-aligned with
    /// `figure.axes`), as matplotlib's autoscaling computes them: data limits
    /// of every mark, sticky edges, margins, explicit `set_xlim` ends, shared
    /// axes. They do not depend on the layout (`axes.autolimit_mode` 'data').
    ///
    /// Mirrors `Axes.autoscale_view` as triggered by `_request_autoscale_view`
    /// / `_unstale_viewLim` while the marks are added in order (so an
    /// `axvline` inside the current view does not re-autoscale), followed by
    /// `set_xticks` (which widens the view to the ticks), `set_xlim` and
    /// `invert_xaxis`, in that order.
    public static func limits(_ figure: Figure) -> [(x: ViewLimits, y: ViewLimits)] {
        let n = figure.axes.count
        let effects = figure.axes.map { $0.marks.map(MarkEffect.effect(of:)) }
        let full: [DataLimits] = effects.map { list in
            var d = DataLimits()
            for e in list { d.formUnion(e.limits) }
            return d
        }
        let fullSticky: [(x: [Double], y: [Double])] = effects.map { list in
            (list.flatMap(\.stickyX), list.flatMap(\.stickyY))
        }
        func group(_ i: Int, isX: Bool) -> [Int] {
            (isX ? figure.sharex : figure.sharey) ? Array(0..<n) : [i]
        }

        // Per axes, per axis: the view after the marks are added.
        var simulated: [(x: (Double, Double), y: (Double, Double))] = []
        for i in 0..<n {
            simulated.append(simulate(figure, index: i, effects: effects, full: full, fullSticky: fullSticky))
        }

        var out: [(x: ViewLimits, y: ViewLimits)] = []
        for i in 0..<n {
            var pair: [ViewLimits] = []
            for isX in [true, false] {
                let members = group(i, isX: isX)
                let axisOf = { (k: Int) in isX ? figure.axes[k].x : figure.axes[k].y }
                let own = effectiveAxis(figure, axesIndex: i, isX: isX)
                // A shared axis takes the group leader's simulated view and
                // any member's explicit limits and ticks.
                let leader = members.first ?? i
                var view = isX ? simulated[leader].x : simulated[leader].y
                let minpos = full[i].minpos(isX: isX)
                let explicit = members.map(axisOf).first(where: { $0.lower != nil || $0.upper != nil })
                if let ticks = members.map(axisOf).compactMap(\.ticks).first, let tmin = ticks.min(),
                    let tmax = ticks.max()
                {
                    view = (min(tmin, tmax, view.0), max(tmin, tmax, view.1))
                }
                if let explicit {
                    view = setLim(
                        explicit.lower ?? view.0, explicit.upper ?? view.1, scale: own.scale, minpos: minpos)
                }
                if own.inverted { view = (view.1, view.0) }
                pair.append(ViewLimits(lower: view.0, upper: view.1))
            }
            out.append((pair[0], pair[1]))
        }
        return out
    }

    /// Replays the marks of axes `index` in order: each asks for an
    /// autoscale of x, y or both (`_request_autoscale_view`); `axvline`/
    /// `axhline` ask only when their value lies outside the current view,
    /// which they read (`get_xbound`, hence `_unstale_viewLim`) first.
    static func simulate(
        _ figure: Figure, index i: Int, effects: [[MarkEffect]], full: [DataLimits],
        fullSticky: [(x: [Double], y: [Double])]
    ) -> (x: (Double, Double), y: (Double, Double)) {
        var axes = figure.axes[i]
        axes.x = effectiveAxis(figure, axesIndex: i, isX: true)
        axes.y = effectiveAxis(figure, axesIndex: i, isX: false)
        let n = figure.axes.count
        var view = [(0.0, 1.0), (0.0, 1.0)]
        // Setting a scale other than linear asks for an autoscale.
        var stale = [axes.x.scale != .linear, axes.y.scale != .linear]
        var partial = DataLimits()
        var partialSticky: ([Double], [Double]) = ([], [])

        func autoscaler(_ isX: Bool) -> AxisAutoscale {
            let shared = isX ? figure.sharex : figure.sharey
            let siblings = shared ? (0..<n).filter { $0 != i } : []
            var values: [Double] = []
            let own = partial.interval(isX: isX)
            values += [own.0, own.1]
            var minpos = partial.minpos(isX: isX)
            var stickies = isX ? partialSticky.0 : partialSticky.1
            for k in siblings {
                let iv = full[k].interval(isX: isX)
                values += [iv.0, iv.1]
                minpos = min(minpos, full[k].minpos(isX: isX))
                stickies += isX ? fullSticky[k].x : fullSticky[k].y
            }
            let axis = isX ? axes.x : axes.y
            let margin = axis.margin ?? (isX ? figure.theme.xMargin : figure.theme.yMargin)
            var sorted = margin != 0 ? stickies.sorted() : []
            if axis.scale == .log { sorted = sorted.filter { $0 > 0 } }
            return AxisAutoscale(
                scale: axis.scale, margin: margin, values: values, minpos: minpos, stickies: sorted,
                parameters: axis.transform)
        }

        func unstale() {
            for k in 0..<2 where stale[k] {
                stale[k] = false
                let isX = k == 0
                let mutated = view[k] != (0.0, 1.0)
                guard let v = autoscaler(isX).autoscale(viewMutated: mutated) else { continue }
                let axis = isX ? axes.x : axes.y
                view[k] = setLim(v.0, v.1, scale: axis.scale, minpos: partial.minpos(isX: isX))
            }
        }

        func outside(_ v: Double, _ k: Int) -> Bool {
            unstale()
            return v < min(view[k].0, view[k].1) || v > max(view[k].0, view[k].1)
        }

        for e in effects[i] {
            switch e.request {
            case .none: break
            case .both:
                stale[0] = true
                stale[1] = true
            case .x: stale[0] = true
            case .y: stale[1] = true
            case .xIfOutside(let v): if outside(v, 0) { stale[0] = true }
            case .yIfOutside(let v): if outside(v, 1) { stale[1] = true }
            }
            partial.formUnion(e.limits)
            partialSticky.0 += e.stickyX
            partialSticky.1 += e.stickyY
        }
        unstale()
        return (view[0], view[1])
    }

    /// The axis spec matplotlib effectively uses for axes `axesIndex`: with
    /// `sharex`/`sharey` the axes of a group share one view, one scale and
    /// one locator/formatter pair (`Axes.sharex`: `self.xaxis.major =
    /// other.xaxis.major`, `_set_axes_scale` on every sibling), so a log
    /// scale, an inversion, fixed ticks, tick labels or a formatter set on
    /// any member apply to all. Pass this to `ticks(_:limits:…)`.
    public static func effectiveAxis(_ figure: Figure, axesIndex i: Int, isX: Bool) -> Axis {
        let axisOf = { (k: Int) in isX ? figure.axes[k].x : figure.axes[k].y }
        var axis = axisOf(i)
        guard isX ? figure.sharex : figure.sharey else { return axis }
        let members = figure.axes.indices.map(axisOf)
        if let m = members.first(where: { $0.scale != .linear }) {
            axis.scale = m.scale
            axis.logBase = m.logBase
            axis.symlogConstant = m.symlogConstant
            axis.powExponent = m.powExponent
        }
        axis.inverted = members.contains(where: \.inverted)
        if axis.ticks == nil, let m = members.first(where: { $0.ticks != nil }) {
            axis.ticks = m.ticks
            axis.tickLabels = m.tickLabels
        }
        if axis.tickLabels == nil { axis.tickLabels = members.compactMap(\.tickLabels).first }
        if axis.formatter == nil { axis.formatter = members.compactMap(\.formatter).first }
        if axis.margin == nil { axis.margin = members.compactMap(\.margin).first }
        return axis
    }

    /// Whether matplotlib draws the tick labels of this axis: with
    /// `plt.subplots(sharex=True)` only the bottom row keeps its x tick
    /// labels, with `sharey=True` only the first column its y tick labels
    /// (`Axes._label_outer_xaxis`/`_label_outer_yaxis`).
    public static func labelsVisible(_ figure: Figure, axesIndex: Int, isX: Bool) -> Bool {
        let cols = max(1, figure.cols)
        let row = axesIndex / cols
        let col = axesIndex % cols
        if isX { return !figure.sharex || row == figure.rows - 1 }
        return !figure.sharey || col == 0
    }

    /// `XAxis.get_tick_space` / `YAxis.get_tick_space`: how many tick labels
    /// fit along the axis (labels assumed 3:1 wide on x, spaced 2 font
    /// sizes on y).
    public static func tickSpace(lengthPoints: Double, tickLabelSize: Double, isX: Bool) -> Int {
        let size = tickLabelSize * (isX ? 3 : 2)
        guard size > 0 else { return Int(Int32.max) }
        let v = floor(lengthPoints / size)
        return v.isFinite ? Int(max(min(v, 1e9), -1e9)) : Int(Int32.max)
    }

    /// The ticks of one axis for the given view limits: the axis's fixed
    /// ticks, or the scale's default locator (`AutoLocator` with
    /// nbins 'auto' from `lengthPoints` and `tickLabelSize`, or `LogLocator`)
    /// and formatter (`ScalarFormatter`, `LogFormatterSciNotation`).
    ///
    /// Mirrors `Axis._update_ticks`: major and minor locations, their labels
    /// (`Formatter.format_ticks` over all locations), then only the ticks
    /// inside the view (`_interval_contains_close` in scale coordinates).
    /// `labelsVisible` false blanks the labels (see `labelsVisible(_:axesIndex:isX:)`).
    public static func ticks(
        _ axis: Axis, limits: ViewLimits, isX: Bool, lengthPoints: Double, tickLabelSize: Double, theme: Theme,
        labelsVisible: Bool = true
    ) -> ResolvedAxis {
        let view = (limits.lower, limits.upper)
        let space = tickSpace(lengthPoints: lengthPoints, tickLabelSize: tickLabelSize, isX: isX)
        let isLog = axis.scale == .log

        // Locators.
        let major: [Double]
        if let fixed = axis.ticks {
            major = fixed
        } else if isLog {
            major = LogLocator(subs: .decades, numTicks: min(max(space, 2), 9)).tickValues(view.0, view.1)
        } else {
            major = AutoLocator(nbins: min(max(space, 1), 9)).tickValues(view.0, view.1)
        }
        var minor: [Double] = []
        if let fixed = axis.minorTicks {
            minor = fixed
        } else if isLog {
            let all = LogLocator(subs: .auto, numTicks: min(max(space, 2), 9)).tickValues(view.0, view.1)
            // Axis.get_minorticklocs: drop minor ticks on top of major ones.
            let t = { (v: Double) in v <= 0 ? -1000 : log10(v) }
            let lo = min(t(view.0), t(view.1))
            let hi = max(t(view.0), t(view.1))
            let tol = (hi - lo) * 1e-5
            let tMajor = major.map(t)
            minor = all.filter { m in
                let tm = t(m)
                return !tMajor.contains(where: { abs(tm - $0) <= tol })
            }
        }

        // Formatters.
        var majorLabels: [String]
        var offsetText = ""
        if let labels = axis.tickLabels {
            majorLabels = major.indices.map { $0 < labels.count ? labels[$0] : "" }
        } else if let f = axis.formatter {
            switch f {
            case .strMethod(let template):
                majorLabels = major.enumerated().map {
                    PythonFormatSpec.formatTemplate(template, x: $0.element, pos: $0.offset)
                }
            case .percent(let xmax, let decimals):
                let p = PercentFormatter(xmax: xmax, decimals: decimals)
                majorLabels = major.map { p.label($0, view: view) }
            case .plain:
                var s = ScalarFormatter(
                    useOffset: false, scientific: false, powerLimits: powerLimits(theme),
                    offsetThreshold: theme.offsetThreshold)
                majorLabels = s.formatTicks(major, view: view)
                offsetText = s.offsetText
            }
        } else if isLog {
            var f = LogFormatterSciNotation()
            majorLabels = f.formatTicks(major, view: view)
        } else {
            var s = ScalarFormatter(powerLimits: powerLimits(theme), offsetThreshold: theme.offsetThreshold)
            majorLabels = s.formatTicks(major, view: view)
            offsetText = s.offsetText
        }
        var minorFormatter = LogFormatterSciNotation()
        let minorLabels = minorFormatter.formatTicks(minor, view: view)

        // Axis._update_ticks: keep the ticks inside the view.
        let tr = { (v: Double) in isLog ? (v <= 0 ? -1000 : log10(v)) : v }
        let ta = tr(view.0)
        let tb = tr(view.1)
        let a = min(ta, tb)
        let b = max(ta, tb)
        let slack = (b - a) * 1e-10
        func inside(_ v: Double) -> Bool {
            let t = tr(v)
            return a - slack <= t && t <= b + slack
        }
        func keep(_ values: [Double], _ labels: [String]) -> [Tick] {
            zip(values, labels).filter { inside($0.0) }.map { Tick(value: $0.0, label: labelsVisible ? $0.1 : "") }
        }
        return ResolvedAxis(
            scale: axis.scale, limits: limits, major: keep(major, majorLabels), minor: keep(minor, minorLabels),
            // label_outer also hides the offset text of an inner axis.
            offsetText: labelsVisible ? offsetText : "", transform: axis.transform)
    }

    static func powerLimits(_ theme: Theme) -> (Int, Int) {
        let l = theme.formatterLimits
        return (l.count > 0 ? l[0] : -5, l.count > 1 ? l[1] : 6)
    }
}
