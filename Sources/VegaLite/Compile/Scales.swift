import Foundation
import FigureModel

/// A resolved position scale: where each value goes in the axes' data
/// coordinates, the view limits, and the ticks with their labels.
struct PositionScale {
    enum Kind {
        /// Values at their own coordinates, on an axis of this kind.
        case continuous(ContinuousScale.Kind)
        /// Values at `offset + index`, bands `bandwidth` wide.
        case discrete(values: [FieldValue], index: [FieldValue: Int], offset: Double, bandwidth: Double)
    }

    var kind: Kind
    var lower: Double
    var upper: Double
    var reverse: Bool
    var ticks: [Double]
    var labels: [String]
    var title: String
    /// The axis's size in pixels (its width for x, height for y).
    var pixels: Double
    var gridOn: Bool?
    var labelAngle: Double?
    var showLabels: Bool
    var hidden: Bool
    /// A discrete y scale lists its values from the top (Vega's range runs downward).
    var topDown = false

    var isDiscrete: Bool {
        if case .discrete = kind { return true }
        return false
    }

    /// A value's coordinate (a band's start for discrete scales with `bandStart`).
    func coordinate(_ v: FieldValue, bandStart: Bool = false) -> Double? {
        switch kind {
        case .continuous(let k):
            guard let d = v.statistic, d.isFinite else { return nil }
            if case .log = k, d <= 0 { return nil }
            return d
        case .discrete(_, let index, let offset, let bandwidth):
            guard let i = index[v] else { return nil }
            return offset + Double(i) + (bandStart ? 0 : bandwidth / 2)
        }
    }

    var bandwidth: Double {
        if case .discrete(_, _, _, let w) = kind { return w }
        return 0
    }

    /// Data units per pixel along the axis (for continuous scales, linear in the transformed space).
    var unitsPerPixel: Double { abs(upper - lower) / max(pixels, 1) }

    /// Where a tick is along the axis, in pixels from its start.
    func pixel(_ value: Double) -> Double {
        switch kind {
        case .continuous(let k):
            return ContinuousScale(k, domain: (lower, upper)).scale(value, range: (0, pixels))
        case .discrete:
            return (value - lower) / (upper - lower) * pixels
        }
    }

    /// Vega's `labelOverlap` (Vega-Lite's default: "greedy" on log scales,
    /// "parity" elsewhere): labels whose boxes overlap are blanked, by a
    /// linear scan that keeps a label only clear of the last kept one
    /// (greedy), or by dropping every other label until none overlap
    /// (parity). Boxes are the labels as the theme draws them (`fontSize`
    /// points at 100 pixels per inch), along the axis: widths of horizontal
    /// labels, heights of vertical ones and of the y axis' labels; the
    /// separation is 3 pixels (Vega-Lite's `labelSeparation` is 0).
    mutating func removeOverlappingLabels(horizontal: Bool, fontSize: Double, measurer: (any TextMeasurer)?) {
        let px = 100.0 / 72
        let turned = horizontal && (labelAngle.map { Int($0) % 180 != 0 } ?? false)
        func extent(_ text: String) -> Double {
            let e =
                measurer?.measure(text, fontSize: fontSize, bold: false)
                ?? TextExtent(
                    width: Double(text.count) * fontSize * 0.6, height: fontSize * 1.2, descent: fontSize * 0.25)
            return (horizontal && !turned ? e.width : e.height) * px
        }
        var items: [(index: Int, lo: Double, hi: Double)] = []
        for (i, label) in labels.enumerated() where !label.isEmpty {
            let p = pixel(ticks[i])
            let half = extent(label) / 2
            items.append((i, p - half, p + half))
        }
        // Labels closer than 3 pixels count as overlapping: the theme's fonts
        // are larger than Vega's 10-pixel ones, and touching labels read as one.
        let separation = 3.0
        func overlaps(_ a: (index: Int, lo: Double, hi: Double), _ b: (index: Int, lo: Double, hi: Double)) -> Bool {
            min(a.hi, b.hi) + separation > max(a.lo, b.lo)
        }
        var kept: [(index: Int, lo: Double, hi: Double)]
        var isLog = false
        if case .continuous(.log) = kind { isLog = true }
        if isLog {
            kept = []
            for item in items where kept.last.map({ !overlaps($0, item) }) ?? true { kept.append(item) }
        } else {
            kept = items
            while kept.count > 2, zip(kept, kept.dropFirst()).contains(where: { overlaps($0, $1) }) {
                kept = kept.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            }
        }
        let visible = Set(kept.map(\.index))
        for i in labels.indices where !visible.contains(i) { labels[i] = "" }
    }

    /// The figure model's axis.
    func axis() -> Axis {
        var a = Axis(label: hidden ? "" : title)
        switch kind {
        case .continuous(let k):
            switch k {
            case .linear: a.scale = .linear
            case .log(let base):
                a.scale = .log
                a.logBase = base == 10 ? nil : base
            case .pow(let e):
                a.scale = .pow
                a.powExponent = e
            case .symlog(let c):
                a.scale = .symlog
                a.symlogConstant = c
            }
        case .discrete:
            a.scale = .linear
        }
        let flipped = reverse != topDown
        a.lower = flipped ? upper : lower
        a.upper = flipped ? lower : upper
        a.ticks = hidden ? [] : ticks
        a.tickLabels = hidden || !showLabels ? ticks.map { _ in "" } : labels
        a.minorTicks = []
        a.margin = 0
        if let angle = labelAngle, angle != 0 {
            // Vega's angles turn clockwise, matplotlib's counter-clockwise.
            var r = (-angle).truncatingRemainder(dividingBy: 360)
            if r < -180 { r += 360 }
            if r > 180 { r -= 360 }
            a.tickLabelRotation = r
        }
        return a
    }
}

/// A resolved color scale (color, fill or stroke).
struct ColorScale {
    enum Kind {
        case categorical(values: [FieldValue], colors: [Color])
        case continuous(domain: (Double, Double), stops: [Color])
        case identity
    }
    var kind: Kind
    var field: String
    var title: String
    var legend: LegendDef
    var channel: Channel

    func color(_ v: FieldValue) -> Color? {
        switch kind {
        case .categorical(let values, let colors):
            guard let i = values.firstIndex(of: v), !colors.isEmpty else { return nil }
            return colors[i % colors.count]
        case .continuous(let domain, let stops):
            guard let d = v.statistic, d.isFinite else { return nil }
            let t = domain.1 == domain.0 ? 0.5 : (d - domain.0) / (domain.1 - domain.0)
            return Palettes.interpolate(stops, t)
        case .identity:
            if case .string(let s) = v { return Palettes.css(s) }
            return nil
        }
    }
}

/// A resolved discrete scale of a non-color channel (shape, strokeDash), or
/// a continuous one (size, opacity).
struct ChannelScale {
    var field: String
    var title: String
    var legend: LegendDef
    var channel: Channel
    var values: [FieldValue]
    /// Continuous: the domain and the output range.
    var domain: (Double, Double)?
    var range: (Double, Double)

    func index(_ v: FieldValue) -> Int? { values.firstIndex(of: v) }

    func amount(_ v: FieldValue) -> Double? {
        guard let domain, let d = v.statistic, d.isFinite else { return nil }
        let t = domain.1 == domain.0 ? 1 : (d - domain.0) / (domain.1 - domain.0)
        return range.0 + (range.1 - range.0) * max(0, min(1, t))
    }

    static let shapes: [MarkerStyle] = [
        .circle, .square, .plusFilled, .diamond, .triangleUp, .triangleDown, .triangleRight, .triangleLeft,
    ]
    static let dashes: [LineStyle] = [.solid, .dashed, .dotted, .dashDot]
}
