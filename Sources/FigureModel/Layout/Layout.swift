// INTERIM: the contract between the layout and its users (the Cairo back
// end draws a `FigureLayout`; the dump writer reads its resolved axes).
// The bodies are placeholders to be replaced by the port of matplotlib's
// subplot placement, tight_layout and bbox_inches='tight'.

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
}

/// One axes placed on the figure, with its resolved axes.
public struct AxesLayout: Hashable, Sendable {
    public var box: Box
    public var x: ResolvedAxis
    public var y: ResolvedAxis
    public init(box: Box, x: ResolvedAxis, y: ResolvedAxis) {
        self.box = box
        self.x = x
        self.y = y
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

    public init(figure: Figure, axes: [AxesLayout], tightBox: Box) {
        self.figure = figure
        self.axes = axes
        self.tightBox = tightBox
    }

    /// Places the axes (subplot parameters or tight_layout) and resolves
    /// every axis for its final size.
    public static func compute(_ figure: Figure, measurer: some TextMeasurer) -> FigureLayout {
        let W = figure.widthInches * 72
        let H = figure.heightInches * 72
        let t = figure.theme
        let limits = Scales.limits(figure)
        let cellW = W * (t.subplotRight - t.subplotLeft) / Double(max(figure.cols, 1))
        let cellH = H * (t.subplotTop - t.subplotBottom) / Double(max(figure.rows, 1))
        var axes: [AxesLayout] = []
        for (i, ax) in figure.axes.enumerated() {
            let r = i / max(figure.cols, 1)
            let c = i % max(figure.cols, 1)
            let box = Box(
                x: W * t.subplotLeft + Double(c) * cellW, y: H * t.subplotTop - Double(r + 1) * cellH,
                width: cellW * 0.9,
                height: cellH * 0.9)
            axes.append(
                AxesLayout(
                    box: box,
                    x: Scales.ticks(
                        ax.x, limits: limits[i].x, isX: true, lengthPoints: box.width, tickLabelSize: t.xTickLabelSize,
                        theme: t),
                    y: Scales.ticks(
                        ax.y, limits: limits[i].y, isX: false, lengthPoints: box.height,
                        tickLabelSize: t.yTickLabelSize, theme: t)))
        }
        return FigureLayout(figure: figure, axes: axes, tightBox: Box(x: 0, y: 0, width: W, height: H))
    }
}
