import Foundation

// The contract between the layout and its users (the Cairo back end draws
// a `FigureLayout`; the dump writer reads its resolved axes), and the port
// of matplotlib's subplot placement, tight_layout and bbox_inches='tight'.

/// The extent of a laid-out string, in points.
public struct TextExtent: Hashable, Sendable {
    public var width: Double
    public var height: Double
    /// Below the baseline.
    public var descent: Double
    public init(width: Double, height: Double, descent: Double) {
        self.width = width
        self.height = height
        self.descent = descent
    }
}

/// Measures text as it will be drawn (matplotlib mathtext such as
/// `$\Delta H$` or `$\mathdefault{10^{2}}$` included). The Cairo back end
/// implements it with DejaVu Sans, hinting off.
public protocol TextMeasurer: Sendable {
    func measure(_ text: String, fontSize: Double, bold: Bool) -> TextExtent
    /// The resolution whose pixel grid the measurer places glyphs on (72
    /// unless it says otherwise); kept in the layout for the back end.
    var pixelsPerInch: Double { get }
}

extension TextMeasurer {
    public var pixelsPerInch: Double { 72 }
}

/// A rectangle in figure points, origin at the figure's bottom left.
public struct Box: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }

    /// The smallest box holding both.
    public func union(_ other: Box) -> Box {
        let x0 = min(x, other.x)
        let y0 = min(y, other.y)
        return Box(x: x0, y: y0, width: max(maxX, other.maxX) - x0, height: max(maxY, other.maxY) - y0)
    }

    /// The union of `boxes`, nil if there are none.
    public static func union(_ boxes: [Box]) -> Box? {
        guard var u = boxes.first else { return nil }
        for b in boxes.dropFirst() { u = u.union(b) }
        return u
    }

    /// Grown by `pad` on every side (shrunk if negative).
    public func padded(_ pad: Double) -> Box {
        Box(x: x - pad, y: y - pad, width: width + 2 * pad, height: height + 2 * pad)
    }
}

/// A piece of text placed on the figure: its anchor, alignment and the
/// box it covers, computed from the measurer the drawing uses.
public struct PlacedText: Hashable, Sendable {
    public var text: String
    /// The anchor point in figure points.
    public var x: Double
    public var y: Double
    public var fontSize: Double
    public var bold: Bool
    public var color: Color
    public var horizontalAlignment: HorizontalAlignment
    public var verticalAlignment: VerticalAlignment
    /// Degrees counter-clockwise.
    public var rotation: Double
    /// The text's bounding box (matplotlib's `get_window_extent`).
    public var box: Box
    /// From the last line's baseline down to the box's bottom (unrotated).
    public var descent: Double
    /// Where the top-left corner of the unrotated text box lands (the
    /// origin the lines are drawn from, rotated by `rotation` about it).
    public var originX: Double
    public var originY: Double
    /// The unrotated text box's size.
    public var width: Double
    public var height: Double

    public init(
        _ text: String, x: Double, y: Double, fontSize: Double, bold: Bool = false, color: Color,
        horizontalAlignment: HorizontalAlignment, verticalAlignment: VerticalAlignment, rotation: Double = 0,
        measurer: some TextMeasurer
    ) {
        self.text = text
        self.x = x
        self.y = y
        self.fontSize = fontSize
        self.bold = bold
        self.color = color
        self.horizontalAlignment = horizontalAlignment
        self.verticalAlignment = verticalAlignment
        self.rotation = rotation
        let e = measurer.measure(text, fontSize: fontSize, bold: bold)
        self.descent = e.descent
        self.width = e.width
        self.height = e.height
        let placed = PlacedText.place(
            extent: e, x: x, y: y, ha: horizontalAlignment, va: verticalAlignment, rotation: rotation)
        self.box = placed.box
        self.originX = placed.originX
        self.originY = placed.originY
    }

    /// The corners of the (turned) text box, in figure points.
    public var corners: [(Double, Double)] {
        let th = rotation * Double.pi / 180
        let c = cos(th)
        let s = sin(th)
        return [(0.0, -height), (0, 0), (width, 0), (width, -height)].map {
            (originX + $0.0 * c - $0.1 * s, originY + $0.0 * s + $0.1 * c)
        }
    }

    /// Whether the two (possibly turned) text boxes overlap by more than
    /// `tolerance` points (separating axes of the two rectangles).
    public func overlaps(_ other: PlacedText, tolerance: Double = 0) -> Bool {
        guard box.intersects(other.box, tolerance: tolerance) else { return false }
        let ca = corners
        let cb = other.corners
        for poly in [ca, cb] {
            for i in 0..<2 {
                let (x0, y0) = poly[i]
                let (x1, y1) = poly[i + 1]
                let len = ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)).squareRoot()
                guard len > 0 else { continue }
                let n = (-(y1 - y0) / len, (x1 - x0) / len)
                let pa = ca.map { $0.0 * n.0 + $0.1 * n.1 }
                let pb = cb.map { $0.0 * n.0 + $0.1 * n.1 }
                let depth = min(pa.max() ?? 0, pb.max() ?? 0) - max(pa.min() ?? 0, pb.min() ?? 0)
                if depth <= tolerance { return false }
            }
        }
        return true
    }

    /// Moved by (dx, dy) points.
    public func offsetBy(_ dx: Double, _ dy: Double) -> PlacedText {
        var p = self
        p.x += dx
        p.y += dy
        p.box.x += dx
        p.box.y += dy
        p.originX += dx
        p.originY += dy
        return p
    }

    /// matplotlib's `Text._get_layout` alignment with rotation_mode
    /// 'default': rotate the box, then align its bounding box.
    static func place(
        extent e: TextExtent, x: Double, y: Double, ha: HorizontalAlignment, va: VerticalAlignment, rotation: Double
    ) -> (box: Box, originX: Double, originY: Double) {
        let theta = rotation * Double.pi / 180
        var c = cos(theta)
        var s = sin(theta)
        // Exact quarter turns, so that 90° labels have exact boxes.
        if abs(c) < 1e-12 { c = 0 }
        if abs(s) < 1e-12 { s = 0 }
        // Corners of the unrotated box relative to its top-left corner (y up).
        let corners = [(0.0, -e.height), (0.0, 0.0), (e.width, 0.0), (e.width, -e.height)].map {
            ($0.0 * c - $0.1 * s, $0.0 * s + $0.1 * c)
        }
        let xmin = corners.map(\.0).min() ?? 0
        let xmax = corners.map(\.0).max() ?? 0
        let ymin = corners.map(\.1).min() ?? 0
        let ymax = corners.map(\.1).max() ?? 0
        let offsetX: Double
        switch ha {
        case .left: offsetX = xmin
        case .center: offsetX = (xmin + xmax) / 2
        case .right: offsetX = xmax
        }
        let offsetY: Double
        switch va {
        case .bottom: offsetY = ymin
        case .top: offsetY = ymax
        case .center: offsetY = (ymin + ymax) / 2
        case .baseline: offsetY = ymin + e.descent
        case .centerBaseline: offsetY = ymin + (ymax - ymin) - (e.height - e.descent) / 2
        }
        let ox = x - offsetX
        let oy = y - offsetY
        return (Box(x: ox + xmin, y: oy + ymin, width: xmax - xmin, height: ymax - ymin), ox, oy)
    }
}

/// Maps data values of one axis to figure points.
public struct AxisMap: Hashable, Sendable {
    public var scale: Scale
    public var limits: ViewLimits
    /// The axes' left (x) or bottom (y) and its width or height, in points.
    public var origin: Double
    public var length: Double
    /// The scale's parameters (symlog constant, exponent).
    public var transform: ScaleTransform

    /// `transform` nil: the scale with its default parameters.
    public init(scale: Scale, limits: ViewLimits, origin: Double, length: Double, transform: ScaleTransform? = nil) {
        self.scale = scale
        self.limits = limits
        self.origin = origin
        self.length = length
        self.transform = transform ?? ScaleTransform(scale: scale)
    }

    private func t(_ v: Double) -> Double {
        switch scale {
        case .linear: v
        // Positions on a log axis do not depend on its base.
        case .log: v > 0 ? log10(v) : -.infinity
        case .symlog, .pow: transform.forward(v)
        }
    }

    /// The figure coordinate of data value `v` (non-finite for log of v <= 0).
    public func position(_ v: Double) -> Double {
        let a = t(limits.lower)
        let b = t(limits.upper)
        guard b != a else { return origin }
        return origin + length * (t(v) - a) / (b - a)
    }

    /// The figure coordinate of an axes fraction.
    public func fraction(_ f: Double) -> Double { origin + length * f }
}

/// One legend entry as laid out: the handle's mark, the box its handle
/// is drawn in and the label.
public struct LegendEntryLayout: Hashable, Sendable {
    public var handle: Mark
    /// matplotlib's handlebox: 2.0 × 0.7 font sizes, bottom on the label's baseline.
    public var handleBox: Box
    public var label: PlacedText
}

/// A legend as laid out: frame, entries, styling.
public struct LegendLayout: Hashable, Sendable {
    public var frame: Box
    public var fontSize: Double
    public var entries: [LegendEntryLayout]
    public var title: PlacedText?
    public var frameOn: Bool
    public var frameAlpha: Double
    public var faceColor: Color
    public var edgeColor: Color
    public var fancyBox: Bool
    /// The location actually used (1–10; 'best' resolved).
    public var loc: Int
}

/// One axes placed on the figure, with its resolved axes.
public struct AxesLayout: Hashable, Sendable {
    public var box: Box
    public var x: ResolvedAxis
    public var y: ResolvedAxis
    /// The title (baseline 6 pt above the axes), if any.
    public var title: PlacedText?
    public var xLabel: PlacedText?
    public var yLabel: PlacedText?
    /// Index-aligned with `x.major` (nil where the label is empty).
    public var xTickLabels: [PlacedText?]
    public var yTickLabels: [PlacedText?]
    public var xOffsetText: PlacedText?
    public var yOffsetText: PlacedText?
    public var legend: LegendLayout?
    /// `ax.get_tightbbox()`: everything the axes draws outside its box.
    public var tightBox: Box
    /// Tick labels of plotly-placed axes left out because they would overlap
    /// another tick label (plotly draws them over each other).
    public var withheldTickLabels: [PlacedText] = []

    public init(box: Box, x: ResolvedAxis, y: ResolvedAxis) {
        self.box = box
        self.x = x
        self.y = y
        self.title = nil
        self.xLabel = nil
        self.yLabel = nil
        self.xTickLabels = []
        self.yTickLabels = []
        self.xOffsetText = nil
        self.yOffsetText = nil
        self.legend = nil
        self.tightBox = box
    }

    public var xMap: AxisMap {
        AxisMap(scale: x.scale, limits: x.limits, origin: box.x, length: box.width, transform: x.transform)
    }
    public var yMap: AxisMap {
        AxisMap(scale: y.scale, limits: y.limits, origin: box.y, length: box.height, transform: y.transform)
    }
}

/// A figure with every axes placed and resolved.
public struct FigureLayout: Hashable, Sendable {
    public var figure: Figure
    /// Index-aligned with `figure.axes`.
    public var axes: [AxesLayout]
    /// The bounding box of everything drawn (matplotlib's tight bbox), in
    /// figure points; `bbox_inches='tight'` crops to it plus the pad.
    public var tightBox: Box
    public var suptitle: PlacedText?
    /// Figure-level legends, index-aligned with `figure.legends`.
    public var legends: [LegendLayout]
    /// The resolution the text was measured at (`TextMeasurer.pixelsPerInch`):
    /// the back end draws the glyphs on the same grid.
    public var textDPI: Double = 72
    /// The `keepsClear` text marks the layout moved: axes, mark index, points up.
    public var movedMarks: [MovedMark] = []

    public init(figure: Figure, axes: [AxesLayout], tightBox: Box) {
        self.figure = figure
        self.axes = axes
        self.tightBox = tightBox
        self.suptitle = nil
        self.legends = []
    }

    /// The figure's size in points.
    public var width: Double { figure.widthInches * 72 }
    public var height: Double { figure.heightInches * 72 }

    /// The region `bbox_inches='tight'` saves: the tight box grown by
    /// `savefig.pad_inches`.
    public var paddedTightBox: Box { tightBox.padded(figure.theme.savefigPadInches * 72) }

    /// Places the axes (subplot parameters or tight_layout) and resolves
    /// every axis for its final size.
    public static func compute(_ figure: Figure, measurer: some TextMeasurer) -> FigureLayout {
        var layout = LayoutEngine(figure: figure, measurer: measurer).run()
        layout.textDPI = measurer.pixelsPerInch
        return layout
    }

    /// The layout with text measured by `measurer` (the dpi the figure is
    /// saved at), its subplots placed by `tight_layout` with the text as
    /// `layoutMeasurer` measures it (the figure's own dpi), as matplotlib
    /// lays a figure out before `savefig` draws it at another dpi.
    public static func compute(
        _ figure: Figure, measurer: some TextMeasurer, layoutMeasurer: some TextMeasurer
    ) -> FigureLayout {
        let limits = Scales.limits(figure)
        let params = LayoutEngine(figure: figure, measurer: layoutMeasurer).subplotParameters(limits: limits)
        var layout = LayoutEngine(figure: figure, measurer: measurer).run(params: params)
        layout.textDPI = measurer.pixelsPerInch
        return layout
    }
}

/// A `keepsClear` text mark the layout moved out of what it overlapped.
public struct MovedMark: Hashable, Sendable {
    public var axes: Int
    public var mark: Int
    /// Points up (negative: down).
    public var dy: Double
}
