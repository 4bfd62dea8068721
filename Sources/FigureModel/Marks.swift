/// The marks an axes draws, each with the styling the originals use. A nil
/// style field takes the theme's default (matplotlib's rcParams); `label`
/// nil means no legend entry (matplotlib's `_nolegend_`/`_childN`).
public enum Mark: Codable, Hashable, Sendable {
    /// `ax.plot` (Line2D): a polyline, optionally with markers.
    case line(LineMark)
    /// `ax.scatter` (PathCollection).
    case scatter(ScatterMark)
    /// `ax.bar` / `ax.barh` and histogram bars (Rectangles); stacked bars
    /// carry `bottom`.
    case bars(BarMark)
    /// `ax.errorbar`: a data line, error segments and caps.
    case errorBar(ErrorBarMark)
    /// `ax.fill_between` (a band) or `ax.fill` (a polygon).
    case fill(FillMark)
    /// `ax.axhline` / `ax.axvline`: data coordinate × axes fraction.
    case referenceLine(ReferenceLineMark)
    /// `ax.axvspan` / `ax.axhspan`: data interval × axes fraction.
    case span(SpanMark)
    /// `ax.text`, in data or axes coordinates, optionally boxed.
    case text(TextMark)
    /// `ax.annotate(text, xy, xytext=offset, textcoords='offset points')`.
    case annotation(AnnotationMark)
}

public enum Orientation: String, Codable, Hashable, Sendable {
    case vertical
    case horizontal
}

public struct LineMark: Codable, Hashable, Sendable {
    public var x: [Double]
    public var y: [Double]
    public var color: Color?
    public var lineStyle: LineStyle
    public var lineWidth: Double?
    public var marker: MarkerStyle
    public var markerSize: Double?
    public var markerFaceColor: Color?
    public var markerEdgeColor: Color?
    public var markerEdgeWidth: Double?
    public var alpha: Double?
    public var zorder: Double?
    public var label: String?
    /// Hover text, one per point (per bar), for interactive back ends (plotly's
    /// `hovertext`); nil = none. Static back ends and the dump ignore it, and a
    /// figure without it encodes as it did before the field existed.
    public var hoverTexts: [String]? = nil
    public init(
        x: [Double], y: [Double], color: Color? = nil, lineStyle: LineStyle = .solid, lineWidth: Double? = nil,
        marker: MarkerStyle = .none, markerSize: Double? = nil, alpha: Double? = nil, zorder: Double? = nil,
        label: String? = nil
    ) {
        self.x = x
        self.y = y
        self.color = color
        self.lineStyle = lineStyle
        self.lineWidth = lineWidth
        self.marker = marker
        self.markerSize = markerSize
        self.markerFaceColor = nil
        self.markerEdgeColor = nil
        self.markerEdgeWidth = nil
        self.alpha = alpha
        self.zorder = zorder
        self.label = label
    }
}

public struct ScatterMark: Codable, Hashable, Sendable {
    public var x: [Double]
    public var y: [Double]
    /// Marker areas in points², one per point or one for all; nil = rcParams
    /// `lines.markersize`².
    public var sizes: [Double]?
    /// Face colors, one per point or one for all (before `alpha`).
    public var colors: [Color]?
    /// nil = matplotlib's default 'face'; an empty list = 'none'.
    public var edgeColors: [Color]?
    public var lineWidths: [Double]?
    public var marker: MarkerStyle
    public var alpha: Double?
    public var zorder: Double?
    public var label: String?
    /// Hover text, one per point (per bar), for interactive back ends (plotly's
    /// `hovertext`); nil = none. Static back ends and the dump ignore it, and a
    /// figure without it encodes as it did before the field existed.
    public var hoverTexts: [String]? = nil
    public init(
        x: [Double], y: [Double], sizes: [Double]? = nil, colors: [Color]? = nil, edgeColors: [Color]? = nil,
        lineWidths: [Double]? = nil, marker: MarkerStyle = .circle, alpha: Double? = nil, zorder: Double? = nil,
        label: String? = nil
    ) {
        self.x = x
        self.y = y
        self.sizes = sizes
        self.colors = colors
        self.edgeColors = edgeColors
        self.lineWidths = lineWidths
        self.marker = marker
        self.alpha = alpha
        self.zorder = zorder
        self.label = label
    }
}

/// Rectangles from `bar`/`barh`/`hist`: each bar spans
/// `[position - width/2, position + width/2]` (align 'center') or
/// `[position, position + width]` (align 'edge') along the category axis and
/// `[bottom, bottom + value]` along the value axis.
public struct BarMark: Codable, Hashable, Sendable {
    public enum Align: String, Codable, Hashable, Sendable { case center, edge }
    public var positions: [Double]
    public var values: [Double]
    /// One per bar, or one for all.
    public var widths: [Double]
    /// One per bar, one for all, or empty for 0.
    public var bottoms: [Double]
    public var align: Align
    public var orientation: Orientation
    public var color: Color?
    public var edgeColor: Color?
    public var lineWidth: Double?
    public var alpha: Double?
    public var zorder: Double?
    public var label: String?
    /// True for `hist` bars (matplotlib then labels only the first rectangle).
    public var isHistogram: Bool
    /// Hover text, one per point (per bar), for interactive back ends (plotly's
    /// `hovertext`); nil = none. Static back ends and the dump ignore it, and a
    /// figure without it encodes as it did before the field existed.
    public var hoverTexts: [String]? = nil
    public init(
        positions: [Double], values: [Double], widths: [Double] = [0.8], bottoms: [Double] = [],
        align: Align = .center, orientation: Orientation = .vertical, color: Color? = nil, edgeColor: Color? = nil,
        lineWidth: Double? = nil, alpha: Double? = nil, zorder: Double? = nil, label: String? = nil,
        isHistogram: Bool = false
    ) {
        self.positions = positions
        self.values = values
        self.widths = widths
        self.bottoms = bottoms
        self.align = align
        self.orientation = orientation
        self.color = color
        self.edgeColor = edgeColor
        self.lineWidth = lineWidth
        self.alpha = alpha
        self.zorder = zorder
        self.label = label
        self.isHistogram = isHistogram
    }
}

public struct ErrorBarMark: Codable, Hashable, Sendable {
    public var x: [Double]
    public var y: [Double]
    /// Symmetric or (lower, upper) errors; nil = none on that axis.
    public var yErrLower: [Double]?
    public var yErrUpper: [Double]?
    public var xErrLower: [Double]?
    public var xErrUpper: [Double]?
    public var color: Color?
    public var ecolor: Color?
    public var lineStyle: LineStyle
    public var lineWidth: Double?
    public var elineWidth: Double?
    public var capSize: Double?
    public var marker: MarkerStyle
    public var markerSize: Double?
    public var alpha: Double?
    public var zorder: Double?
    public var label: String?
    public init(x: [Double], y: [Double], yErr: [Double]? = nil, marker: MarkerStyle = .none, label: String? = nil) {
        self.x = x
        self.y = y
        self.yErrLower = yErr
        self.yErrUpper = yErr
        self.xErrLower = nil
        self.xErrUpper = nil
        self.color = nil
        self.ecolor = nil
        self.lineStyle = .solid
        self.lineWidth = nil
        self.elineWidth = nil
        self.capSize = nil
        self.marker = marker
        self.markerSize = nil
        self.alpha = nil
        self.zorder = nil
        self.label = label
    }
}

/// A filled region: `fill_between(x, y1, y2)` (a band, matplotlib's
/// PolyCollection) or a closed polygon (`ax.fill`, a Polygon patch).
public struct FillMark: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable { case band, polygon }
    public var kind: Kind
    /// Band: x, lower y, upper y. Polygon: vertices `x`, `y` (`y2` empty).
    public var x: [Double]
    public var y: [Double]
    public var y2: [Double]
    public var color: Color?
    public var edgeColor: Color?
    public var lineWidth: Double?
    public var alpha: Double?
    public var zorder: Double?
    public var label: String?
    public init(
        band x: [Double], _ y1: [Double], _ y2: [Double], color: Color? = nil, alpha: Double? = nil,
        zorder: Double? = nil, label: String? = nil
    ) {
        self.kind = .band
        self.x = x
        self.y = y1
        self.y2 = y2
        self.color = color
        self.edgeColor = nil
        self.lineWidth = nil
        self.alpha = alpha
        self.zorder = zorder
        self.label = label
    }
    public init(
        polygon x: [Double], _ y: [Double], color: Color? = nil, alpha: Double? = nil, zorder: Double? = nil,
        label: String? = nil
    ) {
        self.kind = .polygon
        self.x = x
        self.y = y
        self.y2 = []
        self.color = color
        self.edgeColor = nil
        self.lineWidth = nil
        self.alpha = alpha
        self.zorder = zorder
        self.label = label
    }
}

/// `axvline(x, ymin, ymax)` (vertical) or `axhline(y, xmin, xmax)` (horizontal).
public struct ReferenceLineMark: Codable, Hashable, Sendable {
    public var orientation: Orientation
    public var value: Double
    /// The extent along the other axis, in axes fraction.
    public var from: Double
    public var to: Double
    public var color: Color?
    public var lineStyle: LineStyle
    public var lineWidth: Double?
    public var alpha: Double?
    public var zorder: Double?
    public var label: String?
    public init(
        _ orientation: Orientation, at value: Double, from: Double = 0, to: Double = 1, color: Color? = nil,
        lineStyle: LineStyle = .solid, lineWidth: Double? = nil, alpha: Double? = nil, zorder: Double? = nil,
        label: String? = nil
    ) {
        self.orientation = orientation
        self.value = value
        self.from = from
        self.to = to
        self.color = color
        self.lineStyle = lineStyle
        self.lineWidth = lineWidth
        self.alpha = alpha
        self.zorder = zorder
        self.label = label
    }
}

/// `axvspan(lo, hi, ymin, ymax)` (vertical) or `axhspan(lo, hi, xmin, xmax)`.
public struct SpanMark: Codable, Hashable, Sendable {
    public var orientation: Orientation
    public var lower: Double
    public var upper: Double
    public var from: Double
    public var to: Double
    public var color: Color?
    public var edgeColor: Color?
    public var alpha: Double?
    public var zorder: Double?
    public var label: String?
    public init(
        _ orientation: Orientation, _ lower: Double, _ upper: Double, from: Double = 0, to: Double = 1,
        color: Color? = nil, alpha: Double? = nil, zorder: Double? = nil, label: String? = nil
    ) {
        self.orientation = orientation
        self.lower = lower
        self.upper = upper
        self.from = from
        self.to = to
        self.color = color
        self.edgeColor = nil
        self.alpha = alpha
        self.zorder = zorder
        self.label = label
    }
}

public enum Coordinates: String, Codable, Hashable, Sendable {
    case data
    case axes
}

public enum HorizontalAlignment: String, Codable, Hashable, Sendable { case left, center, right }
public enum VerticalAlignment: String, Codable, Hashable, Sendable {
    case top, center, bottom, baseline
    case centerBaseline = "center_baseline"
}

/// matplotlib's `bbox=dict(boxstyle='round', facecolor=…, alpha=…)`.
public struct TextBox: Codable, Hashable, Sendable {
    public var rounded: Bool
    public var faceColor: Color
    public var edgeColor: Color?
    public var alpha: Double?
    /// The box's pad in units of the font size (matplotlib's default 0.3).
    public var pad: Double
    public init(
        rounded: Bool = true, faceColor: Color, edgeColor: Color? = nil, alpha: Double? = nil, pad: Double = 0.3
    ) {
        self.rounded = rounded
        self.faceColor = faceColor
        self.edgeColor = edgeColor
        self.alpha = alpha
        self.pad = pad
    }
}

public struct TextMark: Codable, Hashable, Sendable {
    public var text: String
    public var x: Double
    public var y: Double
    /// The coordinates of `x` (and of `y` unless `yCoordinates` is set).
    public var coordinates: Coordinates
    /// The coordinates of `y` when they differ from `x`'s (a blended
    /// transform, as `ax.get_xaxis_transform()`); nil = `coordinates`.
    public var yCoordinates: Coordinates?
    /// A shift of the text from its anchor, in points (nil = none).
    public var offsetX: Double?
    public var offsetY: Double?
    /// A straight line from the anchor point to the (shifted) text, drawn up
    /// to the text's box; nil = none.
    public var arrow: TextArrow?
    public var fontSize: Double?
    public var color: Color?
    public var bold: Bool
    public var horizontalAlignment: HorizontalAlignment
    public var verticalAlignment: VerticalAlignment
    public var rotation: Double
    public var box: TextBox?
    public var alpha: Double?
    public var zorder: Double?
    /// Moved up or down, by the least amount, out of the tick labels, axis
    /// lines and texts it would overlap (a plotly figure's annotations in its
    /// static view, where plotly lets them collide); nil = placed as given.
    public var keepsClear: Bool?
    public init(
        _ text: String, x: Double, y: Double, coordinates: Coordinates = .data, fontSize: Double? = nil,
        color: Color? = nil, horizontalAlignment: HorizontalAlignment = .left,
        verticalAlignment: VerticalAlignment = .baseline, box: TextBox? = nil
    ) {
        self.text = text
        self.x = x
        self.y = y
        self.coordinates = coordinates
        self.fontSize = fontSize
        self.color = color
        self.bold = false
        self.horizontalAlignment = horizontalAlignment
        self.verticalAlignment = verticalAlignment
        self.rotation = 0
        self.box = box
        self.alpha = nil
        self.zorder = nil
        self.yCoordinates = nil
        self.offsetX = nil
        self.offsetY = nil
        self.arrow = nil
    }
}

/// The line a `TextMark` draws from its anchor point to its text (an
/// annotation arrow without a head).
public struct TextArrow: Codable, Hashable, Sendable {
    public var color: Color
    /// In points.
    public var lineWidth: Double
    public init(color: Color, lineWidth: Double) {
        self.color = color
        self.lineWidth = lineWidth
    }
}

public struct AnnotationMark: Codable, Hashable, Sendable {
    public var text: String
    /// The annotated point, in data coordinates.
    public var x: Double
    public var y: Double
    /// The text's offset from the point, in points.
    public var offsetX: Double
    public var offsetY: Double
    public var fontSize: Double?
    public var color: Color?
    public var alpha: Double?
    public var horizontalAlignment: HorizontalAlignment
    public var verticalAlignment: VerticalAlignment
    public var zorder: Double?
    public init(
        _ text: String, x: Double, y: Double, offsetX: Double, offsetY: Double, fontSize: Double? = nil,
        color: Color? = nil, alpha: Double? = nil
    ) {
        self.text = text
        self.x = x
        self.y = y
        self.offsetX = offsetX
        self.offsetY = offsetY
        self.fontSize = fontSize
        self.color = color
        self.alpha = alpha
        self.horizontalAlignment = .left
        self.verticalAlignment = .baseline
        self.zorder = nil
    }
}
