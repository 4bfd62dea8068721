/// The rcParams a figure is drawn with. `.matplotlib` is matplotlib's
/// default style; `.seaborn` is `seaborn-v0_8` as the installed matplotlib's
/// style file defines it; `.blog` is the palette of `oa_theme.py`.
/// Sizes in points; colors as matplotlib specs resolve them.
public struct Theme: Codable, Hashable, Sendable {
    public var name: String
    public var fontFamily: String
    public var fontSize: Double
    public var titleSize: Double
    public var labelSize: Double
    public var xTickLabelSize: Double
    public var yTickLabelSize: Double
    public var legendFontSize: Double
    public var figureTitleSize: Double
    public var textColor: Color
    public var figureFaceColor: Color
    public var axesFaceColor: Color
    public var axesEdgeColor: Color
    public var axesLineWidth: Double
    /// `axes.axisbelow`: true puts ticks and grid below every mark,
    /// 'line' (matplotlib's default, false here) below lines only.
    public var axisBelow: Bool
    public var gridColor: Color
    public var gridLineWidth: Double
    public var gridLineStyle: LineStyle
    public var gridAlpha: Double
    /// `axes.grid`: draw the major grid without `ax.grid()`.
    public var gridOn: Bool
    public var colorCycle: [Color]
    public var lineWidth: Double
    public var markerSize: Double
    public var patchLineWidth: Double
    public var majorTickSize: Double
    public var minorTickSize: Double
    public var majorTickWidth: Double
    public var minorTickWidth: Double
    public var tickPad: Double
    /// `xtick.minor.pad` (and y), when it is not matplotlib's 3.4 (nil).
    public var minorTickPad: Double? = nil
    public var tickColor: Color
    public var labelPad: Double
    public var titlePad: Double
    public var xMargin: Double
    public var yMargin: Double
    public var legendFrameAlpha: Double
    public var legendEdgeColor: Color
    public var legendFaceColor: Color
    public var legendFancyBox: Bool
    public var legendNumPoints: Int
    public var legendScatterPoints: Int
    public var spinesVisible: Bool
    /// Whether the top and right spines are drawn with the left and bottom
    /// ones (`axes.spines.top`/`right`); nil = true. false: only the axis
    /// lines, as plotly's `showline` draws them.
    public var spinesTopRight: Bool? = nil
    public var subplotLeft: Double
    public var subplotRight: Double
    public var subplotBottom: Double
    public var subplotTop: Double
    public var subplotWSpace: Double
    public var subplotHSpace: Double
    public var savefigPadInches: Double
    /// `axes.formatter.limits`: scientific notation outside 10^lo…10^hi.
    public var formatterLimits: [Int]
    /// `axes.formatter.offset_threshold`.
    public var offsetThreshold: Int
    /// `axes.labelcolor`.
    public var labelColor: Color = .black
    /// `xtick.labelcolor`/`ytick.labelcolor` ('inherit' resolves to `tickColor`).
    public var tickLabelColor: Color = .black
    /// `axes.titlecolor` ('auto' resolves to `text.color`).
    public var titleColor: Color = .black
    /// `lines.solid_capstyle`: matplotlib's default 'projecting', seaborn's 'round'.
    public var solidCapStyle: CapStyle = .projecting
    /// `lines.dash_capstyle`.
    public var dashCapStyle: CapStyle = .butt
    /// `lines.markeredgewidth`.
    public var markerEdgeWidth: Double = 1
    /// `patch.facecolor` (used by artists without a color of their own).
    public var patchFaceColor: Color = "#1f77b4"
    /// `legend.frameon`.
    public var legendFrameOn: Bool = true

    /// matplotlib 3.x defaults (`matplotlib.rcParamsDefault`).
    public static let matplotlib = Theme(
        name: "matplotlib", fontFamily: "DejaVu Sans", fontSize: 10, titleSize: 12, labelSize: 10,
        xTickLabelSize: 10, yTickLabelSize: 10, legendFontSize: 10, figureTitleSize: 12, textColor: .black,
        figureFaceColor: .white, axesFaceColor: .white, axesEdgeColor: .black, axesLineWidth: 0.8, axisBelow: false,
        gridColor: "#b0b0b0", gridLineWidth: 0.8, gridLineStyle: .solid, gridAlpha: 1, gridOn: false,
        colorCycle: Color.tab10, lineWidth: 1.5, markerSize: 6, patchLineWidth: 1, majorTickSize: 3.5,
        minorTickSize: 2, majorTickWidth: 0.8, minorTickWidth: 0.6, tickPad: 3.5, tickColor: .black, labelPad: 4,
        titlePad: 6, xMargin: 0.05, yMargin: 0.05, legendFrameAlpha: 0.8, legendEdgeColor: "0.8",
        legendFaceColor: .white, legendFancyBox: true, legendNumPoints: 1, legendScatterPoints: 1,
        spinesVisible: true, subplotLeft: 0.125, subplotRight: 0.9, subplotBottom: 0.11, subplotTop: 0.88,
        subplotWSpace: 0.2, subplotHSpace: 0.2, savefigPadInches: 0.1, formatterLimits: [-5, 6],
        offsetThreshold: 4)
}
