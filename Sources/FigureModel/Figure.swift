/// The figure model: value types that describe what a figure shows, in the
/// vocabulary of matplotlib (figure → grid of axes → marks), with no I/O.
/// Figure builders produce a `Figure`; the Cairo back end draws it and the
/// dump writer describes it in `mpl_dump.py`'s schema.
///
/// Sizes follow matplotlib: the figure in inches, line widths and font sizes
/// in points, scatter sizes in points², offsets in points.

/// A whole figure: a grid of axes, a suptitle, figure-level legends.
public struct Figure: Codable, Hashable, Sendable {
    public var widthInches: Double
    public var heightInches: Double
    /// The figure's own dpi (matplotlib's `figure.dpi`); `Render` may override it.
    public var dpi: Double
    public var theme: Theme
    public var rows: Int
    public var cols: Int
    /// Row-major, `rows * cols` of them (the order of matplotlib's `fig.axes`).
    public var axes: [Axes]
    public var sharex: Bool
    public var sharey: Bool
    public var suptitle: String?
    /// Font size of the suptitle in points; nil = the theme's `figure.titlesize`.
    public var suptitleFontSize: Double?
    /// Figure-level legends (`fig.legend`), with explicit entries.
    public var legends: [Legend]
    /// Rectangles drawn under the axes, in figure coordinates; nil = none.
    public var patches: [FigurePatch]?
    public var layout: LayoutMode
    /// `fig.subplots_adjust` values; nil fields take the theme's `figure.subplot.*`.
    public var subplotParams: SubplotParams

    public init(
        widthInches: Double, heightInches: Double, dpi: Double = 100, theme: Theme = .matplotlib,
        rows: Int = 1, cols: Int = 1, axes: [Axes]? = nil, sharex: Bool = false, sharey: Bool = false
    ) {
        self.widthInches = widthInches
        self.heightInches = heightInches
        self.dpi = dpi
        self.theme = theme
        self.rows = rows
        self.cols = cols
        self.axes = axes ?? Array(repeating: Axes(), count: rows * cols)
        self.sharex = sharex
        self.sharey = sharey
        self.suptitle = nil
        self.suptitleFontSize = nil
        self.legends = []
        self.patches = nil
        self.layout = .subplotParams
        self.subplotParams = SubplotParams()
    }
}

/// How axes are placed: matplotlib's default subplot parameters, or
/// `fig.tight_layout(pad:h_pad:w_pad:)`.
public enum LayoutMode: Codable, Hashable, Sendable {
    case subplotParams
    /// `rect` is tight_layout's `(left, bottom, right, top)` in figure fractions: the
    /// area the subplots and their decorations fit into (nil: the whole figure).
    case tight(pad: Double = 1.08, hPad: Double? = nil, wPad: Double? = nil, rect: [Double]? = nil)
}

public struct SubplotParams: Codable, Hashable, Sendable {
    public var left: Double?
    public var right: Double?
    public var bottom: Double?
    public var top: Double?
    public var wspace: Double?
    public var hspace: Double?
    public init(
        left: Double? = nil, right: Double? = nil, bottom: Double? = nil, top: Double? = nil,
        wspace: Double? = nil, hspace: Double? = nil
    ) {
        self.left = left
        self.right = right
        self.bottom = bottom
        self.top = top
        self.wspace = wspace
        self.hspace = hspace
    }
}

/// One axes: two axis specs, a title, marks in the order they were added,
/// an optional legend and grid.
public struct Axes: Codable, Hashable, Sendable {
    public var x: Axis
    public var y: Axis
    public var title: String
    /// nil = the theme's `axes.titlesize`.
    public var titleFontSize: Double?
    public var marks: [Mark]
    public var legend: Legend?
    public var grid: Grid?
    /// `ax.axis('off')` hides spines, ticks and labels.
    public var axisOn: Bool
    /// `fig.add_axes([left, bottom, width, height])`: the axes' rectangle in
    /// figure fractions, instead of its grid cell; nil = the grid cell.
    public var position: [Double]?

    public init() {
        x = Axis()
        y = Axis()
        title = ""
        titleFontSize = nil
        marks = []
        legend = nil
        grid = nil
        axisOn = true
        position = nil
    }
}

public enum Scale: String, Codable, Hashable, Sendable {
    case linear
    /// Logarithmic, base 10 unless the axis gives `logBase`.
    case log
    /// d3's symlog: sign(x)·log1p(|x/c|), c = the axis' `symlogConstant` (1).
    case symlog
    /// A power scale: sign(x)·|x|^e, e = the axis' `powExponent` (0.5 for sqrt).
    case pow

    /// The scale's name as matplotlib's `get_xscale()` reports it (a power
    /// scale is a `FuncScale`, "function").
    public var matplotlibName: String {
        switch self {
        case .linear: "linear"
        case .log: "log"
        case .symlog: "symlog"
        case .pow: "function"
        }
    }
}

/// One axis of an axes: scale, limits, label and ticks.
public struct Axis: Codable, Hashable, Sendable {
    public var scale: Scale
    /// `set_xlim(lower, upper)`; a nil end is autoscaled.
    public var lower: Double?
    public var upper: Double?
    public var label: String
    /// nil = the theme's `axes.labelsize`.
    public var labelFontSize: Double?
    /// `set_xticks(values)`: a fixed locator; nil = the scale's default locator.
    public var ticks: [Double]?
    /// `set_xticklabels(labels)`: a fixed formatter (only with `ticks`).
    public var tickLabels: [String]?
    /// A formatter for the default locator; nil = the scale's default formatter.
    public var formatter: TickFormatter?
    /// `ax.margins(x=…)`; nil = the theme's `axes.xmargin`/`axes.ymargin`.
    public var margin: Double?
    /// `invert_xaxis()`.
    public var inverted: Bool
    /// `set_xticks(values, minor=True)`: fixed minor ticks (`[]` = none, as
    /// a `NullLocator`); nil = the scale's default minor locator.
    public var minorTicks: [Double]?
    /// `tick_params(labelrotation=…)` for x tick labels, degrees counter-clockwise
    /// (right-aligned when rotated); nil = 0.
    public var tickLabelRotation: Double?
    /// Rotate the x tick labels by 30° when they would overlap (plotly's
    /// `tickangle: 'auto'`); nil = false.
    public var autoRotateTickLabels: Bool?
    /// The base of a `.log` axis; nil = 10.
    public var logBase: Double?
    /// The constant of a `.symlog` axis; nil = 1.
    public var symlogConstant: Double?
    /// The exponent of a `.pow` axis; nil = 1.
    public var powExponent: Double?
    /// Per tick (index-aligned with `ticks`), the tick label's font size in
    /// points; nil = the theme's tick label size for every label.
    public var tickLabelSizes: [Double]?
    /// plotly's tick label placement, `standoff` points from the axis line: x
    /// labels centred on their tick with their baseline a standoff plus their
    /// font size below the axis, y labels ending a standoff left of it with
    /// their baseline 0.35 font sizes below the tick; nil = matplotlib's.
    public var tickLabelStandoff: Double?

    /// The scale with its parameters.
    public var transform: ScaleTransform {
        ScaleTransform(scale: scale, base: logBase ?? 10, constant: symlogConstant ?? 1, exponent: powExponent ?? 1)
    }

    public init(
        scale: Scale = .linear, lower: Double? = nil, upper: Double? = nil, label: String = "",
        ticks: [Double]? = nil, tickLabels: [String]? = nil
    ) {
        self.scale = scale
        self.lower = lower
        self.upper = upper
        self.label = label
        self.labelFontSize = nil
        self.ticks = ticks
        self.tickLabels = tickLabels
        self.formatter = nil
        self.margin = nil
        self.inverted = false
        self.minorTicks = nil
        self.tickLabelRotation = nil
        self.autoRotateTickLabels = nil
        self.logBase = nil
        self.symlogConstant = nil
        self.powExponent = nil
        self.tickLabelSizes = nil
        self.tickLabelStandoff = nil
    }
}

/// Tick formatters the originals set explicitly.
public enum TickFormatter: Codable, Hashable, Sendable {
    /// `StrMethodFormatter` with a Python format spec applied to the value,
    /// e.g. `".0f"` for `'{x:.0f}'`.
    case strMethod(String)
    /// `PercentFormatter(xmax:decimals:)`.
    case percent(xmax: Double, decimals: Int?)
    /// `ScalarFormatter` with `useOffset`/scientific notation switched off.
    case plain
}

/// `ax.grid(True, which=…, axis=…, ls=…, alpha=…)`.
public struct Grid: Codable, Hashable, Sendable {
    public enum Which: String, Codable, Hashable, Sendable { case major, minor, both }
    public enum Axis: String, Codable, Hashable, Sendable { case x, y, both }
    public var which: Which
    public var axis: Axis
    public var lineStyle: LineStyle?
    public var lineWidth: Double?
    public var alpha: Double?
    public var color: Color?
    public init(
        which: Which = .major, axis: Axis = .both, lineStyle: LineStyle? = nil, lineWidth: Double? = nil,
        alpha: Double? = nil, color: Color? = nil
    ) {
        self.which = which
        self.axis = axis
        self.lineStyle = lineStyle
        self.lineWidth = lineWidth
        self.alpha = alpha
        self.color = color
    }
}

/// An axes-level (`ax.legend`) or figure-level (`fig.legend`) legend.
public struct Legend: Codable, Hashable, Sendable {
    /// matplotlib's location codes: 0 best, 1 upper right, 2 upper left,
    /// 3 lower left, 4 lower right, 5 right, 6 center left, 7 center right,
    /// 8 lower center, 9 upper center, 10 center.
    public var loc: Int
    /// `bbox_to_anchor` in axes (or figure) fraction, (x, y) or (x, y, w, h).
    public var bboxToAnchor: [Double]?
    public var ncol: Int
    /// nil = the theme's `legend.fontsize`.
    public var fontSize: Double?
    /// nil = the theme's `legend.framealpha`.
    public var frameAlpha: Double?
    public var frameOn: Bool
    public var title: String?
    /// Figure-level legends list their entries; axes legends take every
    /// labelled mark of the axes, in matplotlib's order.
    public var entries: [LegendEntry]?
    /// The frame's face color; nil = the theme's `legend.facecolor`.
    public var faceColor: Color?
    /// The frame's edge color; nil = the theme's `legend.edgecolor`.
    public var edgeColor: Color?
    /// Where its maker put the frame and every entry (a plotly legend's
    /// static view); nil = matplotlib's layout at `loc`.
    public var placement: LegendPlacement?

    public init(
        loc: Int = 0, bboxToAnchor: [Double]? = nil, ncol: Int = 1, fontSize: Double? = nil,
        frameAlpha: Double? = nil, frameOn: Bool = true, title: String? = nil, entries: [LegendEntry]? = nil
    ) {
        self.loc = loc
        self.bboxToAnchor = bboxToAnchor
        self.ncol = ncol
        self.fontSize = fontSize
        self.frameAlpha = frameAlpha
        self.frameOn = frameOn
        self.title = title
        self.entries = entries
    }

    /// matplotlib's location strings, as `ax.legend(loc=…)` takes them.
    public static func code(_ loc: String) -> Int? {
        [
            "best": 0, "upper right": 1, "upper left": 2, "lower left": 3, "lower right": 4, "right": 5,
            "center left": 6, "center right": 7, "lower center": 8, "upper center": 9, "center": 10,
        ][loc]
    }
}

/// A legend laid out by its maker, in figure fractions.
public struct LegendPlacement: Codable, Hashable, Sendable {
    /// Left, bottom, width, height of the frame.
    public var frame: [Double]
    /// Per entry, the left end of the label's baseline (x, y).
    public var labels: [[Double]]
    /// Per entry, the box the handle is drawn in (left, bottom, width, height).
    public var handles: [[Double]]
    /// The left end of the title's baseline (x, y).
    public var title: [Double]?
    /// The title's font size in points; nil = the legend's.
    public var titleFontSize: Double?
    public init(
        frame: [Double], labels: [[Double]], handles: [[Double]], title: [Double]? = nil, titleFontSize: Double? = nil
    ) {
        self.frame = frame
        self.labels = labels
        self.handles = handles
        self.title = title
        self.titleFontSize = titleFontSize
    }
}

/// A rectangle drawn on the figure in figure coordinates, under the axes
/// and their texts (a plotly widget's rail, handle or box).
public struct FigurePatch: Codable, Hashable, Sendable {
    /// Left, bottom, width, height in figure fractions.
    public var rect: [Double]
    /// Corner radius in points (0 = square corners).
    public var radius: Double
    public var faceColor: Color
    public var edgeColor: Color
    /// In points.
    public var lineWidth: Double
    public init(rect: [Double], radius: Double = 0, faceColor: Color, edgeColor: Color = .none, lineWidth: Double = 0) {
        self.rect = rect
        self.radius = radius
        self.faceColor = faceColor
        self.edgeColor = edgeColor
        self.lineWidth = lineWidth
    }
}

/// A legend entry: a label and the mark whose style its handle shows.
public struct LegendEntry: Codable, Hashable, Sendable {
    public var label: String
    public var handle: Mark
    public init(label: String, handle: Mark) {
        self.label = label
        self.handle = handle
    }
}
