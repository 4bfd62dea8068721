import Foundation

/// Draws an interactive (plotly) figure on paper: the static view of an
/// `InteractiveFigure` (see `InteractiveFigure.staticView(step:)`) as a
/// `Figure` the Cairo back end renders, laid out as plotly.js lays it out.
///
/// Sizes: plotly's pixels are CSS pixels, 1/96 in, so 1 px = 0.75 pt. The
/// figure is `layout.width` × `layout.height` px, or the `Options`' size
/// where the layout has none (plotly's own default is 700 × 450 px; the blog
/// embeds the figures responsively, so its size is a choice). Margins are
/// `layout.margin` (plotly's defaults 80/80/100/80 px), grown as plotly's
/// `autoMargin` grows them for the legend and the widgets (`StaticLegend.swift`),
/// and every subplot sits where its axes' `domain`s put it inside them; paper
/// coordinates (legends, annotations, shapes) are fractions of that plotting area.
/// Text is measured with the `measurer` given (the browser's advances, for
/// plotly's decisions: legend rows, widget sizes, tick angles).
///
/// What it maps:
/// - scatter traces: lines (color, width, dash), markers (symbol, size,
///   color, opacity, marker line; `-open` symbols hollow), per-point text
///   (`mode` with `text`, `textposition`, `textfont`), fills (`toself`,
///   `tonexty`/`tonextx`, `tozeroy`/`tozerox`) as polygons;
/// - axes (`StaticAxes.swift`): `type: log`, `range` (reversed too),
///   `autorange: 'reversed'`, `matches`, plotly's autorange over the traces',
///   shapes' and annotations' extremes, plotly's automatic ticks and tick
///   labels (`tickformat`, `exponentformat`, `tickprefix`/`ticksuffix`,
///   `tickvals`/`ticktext`, `showticklabels`, `tickangle` and its auto angles,
///   labels past the page hidden), placed as plotly places them; `showgrid`,
///   `visible`, titles;
/// - the legend: one entry per `legendgroup` (or per named trace), laid out
///   as plotly's `computeLegendDimensions` does (rows, `entrywidth`, groups,
///   the title), at `legend.x`/`y` with its anchors, background and border;
/// - shapes (`line`, `rect`) and annotations (text, font, anchors, shifts,
///   background, a plain line for an arrow) in data, `x domain` or paper
///   coordinates; `layout.title`;
/// - the widgets at rest (`StaticWidgets.swift`): a slider with its current
///   value, rail, step ticks and labels and the handle on the active step; a
///   dropdown's closed box with its active entry and arrow.
///
/// What it leaves out, as nothing on paper shows it: hover templates and
/// hover info, transitions, open dropdowns. plotly draws no frame; the static
/// view draws the axis lines (left and bottom).
public enum StaticFigure {
    /// Points per plotly (CSS) pixel.
    public static let pointsPerPixel = 0.75
    /// Pixels per inch (CSS).
    public static let pixelsPerInch = 96.0

    /// The size a figure is drawn at when its layout has none, and the theme.
    public struct Options: Hashable, Sendable {
        /// Width in pixels where `layout.width` is not set.
        public var width: Double
        /// Height in pixels where `layout.height` is not set.
        public var height: Double
        public var theme: Theme
        /// Plotly's default 700 × 450 px, in `StaticFigure.blogTheme`.
        public init(width: Double = 700, height: Double = 450, theme: Theme = StaticFigure.blogTheme) {
            self.width = width
            self.height = height
            self.theme = theme
        }
    }

    /// The blog theme (`Theme.blog`: `oa_theme.py`'s palette) at plotly's
    /// text sizes (12 px text and ticks, 14 px axis titles, 17 px title, in
    /// points), `oa_theme.py`'s text color, and the grid under every mark as
    /// plotly draws it.
    public static let blogTheme: Theme = {
        var t = Theme.blog
        t.fontSize = 9
        t.xTickLabelSize = 9
        t.yTickLabelSize = 9
        t.legendFontSize = 9
        t.labelSize = 10.5
        t.titleSize = 12.75
        t.figureTitleSize = 12.75
        t.textColor = Theme.BlogColors.brandBlack
        t.labelColor = Theme.BlogColors.brandBlack
        t.titleColor = Theme.BlogColors.brandBlack
        t.tickLabelColor = Theme.BlogColors.brandBlack
        t.axisBelow = true
        t.gridOn = false
        // plotly draws no tick marks unless asked, and no frame: the static view draws the axis lines.
        t.majorTickSize = 0
        t.minorTickSize = 0
        t.spinesTopRight = false
        return t
    }()

    /// The color of plotly's grid lines here.
    static let gridColor: Color = "#e5e5e5"
    /// Plotly's default text, arrow and marker-line color.
    static let plotlyDefaultLine: Color = "#444444"

    /// The figure a static back end draws for `view` (already a static view:
    /// hidden traces removed, the slider step applied). `measurer` sizes the
    /// legend's columns.
    public static func figure(
        _ view: InteractiveFigure, options: Options = Options(), measurer: some TextMeasurer
    ) -> Figure {
        var t = StaticTranslator(view: view, options: options)
        return t.translate(measurer: measurer)
    }

    /// Plotly's HTML-ish label text as plain text: `<br>` breaks the line,
    /// `<sup>`/`<sub>` become Unicode super/subscripts where they exist (else
    /// `^(…)`/`_(…)`), other tags are dropped, entities decoded, and `$` is
    /// escaped so the text is never read as mathtext.
    public static func plainText(_ html: String) -> String {
        var out = ""
        var i = html.startIndex
        var mode: Character? = nil  // "^" or "_" inside <sup>/<sub>
        var script = ""
        func emit(_ s: String) {
            if mode == nil { out += s } else { script += s }
        }
        while i < html.endIndex {
            let c = html[i]
            if c == "<", let close = html[i...].firstIndex(of: ">") {
                let tag = html[html.index(after: i)..<close].lowercased().trimmingCharacters(in: .whitespaces)
                let name = tag.split(whereSeparator: { $0 == " " || $0 == "/" }).first.map(String.init) ?? ""
                let closing = tag.hasPrefix("/")
                if name == "br" {
                    emit("\n")
                } else if name == "sup" || name == "sub" {
                    if closing {
                        if let m = mode { out += scripted(script, superscript: m == "^") }
                        mode = nil
                    } else {
                        mode = name == "sup" ? "^" : "_"
                        script = ""
                    }
                }
                i = html.index(after: close)
                continue
            }
            if c == "&", let semi = html[i...].prefix(10).firstIndex(of: ";") {
                let entity = String(html[html.index(after: i)..<semi])
                if let decoded = decodeEntity(entity) {
                    emit(decoded)
                    i = html.index(after: semi)
                    continue
                }
            }
            emit(c == "$" ? "\\$" : String(c))
            i = html.index(after: i)
        }
        if let m = mode { out += scripted(script, superscript: m == "^") }
        return out
    }

    static func decodeEntity(_ e: String) -> String? {
        switch e {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos", "#39": return "'"
        case "nbsp": return "\u{00A0}"
        case "times": return "×"
        case "minus": return "−"
        default:
            let hex = e.hasPrefix("#x") || e.hasPrefix("#X")
            guard e.hasPrefix("#"), let v = UInt32(e.dropFirst(hex ? 2 : 1), radix: hex ? 16 : 10),
                let u = Unicode.Scalar(v)
            else { return nil }
            return String(Character(u))
        }
    }

    static func scripted(_ s: String, superscript: Bool) -> String {
        let sup: [Character: Character] = [
            "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
            "+": "⁺", "-": "⁻", "−": "⁻", "(": "⁽", ")": "⁾", "n": "ⁿ", "i": "ⁱ",
        ]
        let sub: [Character: Character] = [
            "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉",
            "+": "₊", "-": "₋", "−": "₋", "(": "₍", ")": "₎",
        ]
        let table = superscript ? sup : sub
        let mapped = s.compactMap { table[$0] }
        if mapped.count == s.count { return String(mapped) }
        return (superscript ? "^" : "_") + (s.count == 1 ? s : "(\(s))")
    }

    /// A plotly color: `#rgb`/`#rrggbb`, `rgb(…)`, `rgba(…)`, `transparent`,
    /// or a CSS name matplotlib knows; nil otherwise.
    public static func color(_ v: PlotValue?) -> Color? {
        guard let s = v?.stringValue?.trimmingCharacters(in: .whitespaces).lowercased() else { return nil }
        if s == "transparent" { return Color.none }
        if s.hasPrefix("rgb"), let open = s.firstIndex(of: "("), let close = s.lastIndex(of: ")") {
            let parts = s[s.index(after: open)..<close].split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard parts.count >= 3 else { return nil }
            var channels: [Double] = []
            for p in parts.prefix(3) {
                if p.hasSuffix("%"), let v = Double(p.dropLast()) {
                    channels.append(max(0, min(1, v / 100)))
                } else if let v = Double(p) {
                    channels.append(max(0, min(1, v / 255)))
                } else {
                    return nil
                }
            }
            let alpha = parts.count > 3 ? (Double(parts[3]).map { max(0, min(1, $0)) } ?? 1) : 1
            return Color(red: channels[0], green: channels[1], blue: channels[2], alpha: alpha)
        }
        return Color(matplotlib: s)
    }
}

/// One subplot: an x axis and the y axis it is drawn against.
struct StaticSubplot {
    /// `x`, `x2`, …
    var xRef: String
    var yRef: String
    var xAxis: PlotObject
    var yAxis: PlotObject
    /// Left, bottom, width, height in figure fractions.
    var rect: [Double]
    var xLog: Bool { xAxis["type"]?.stringValue == "log" }
    var yLog: Bool { yAxis["type"]?.stringValue == "log" }
}

/// The state of one translation.
struct StaticTranslator {
    let view: InteractiveFigure
    let theme: Theme
    /// Figure size in pixels.
    let width: Double
    let height: Double
    /// Margins in pixels: the layout's, then as plotly's `autoMargin` pushes
    /// them for the legend and the widgets (`pushMargins`).
    var left: Double
    var right: Double
    var top: Double
    var bottom: Double
    var subplots: [StaticSubplot] = []
    var axes: [Axes] = []
    /// Per axis reference (`x`, `y2`), the extremes plotly's autorange fits:
    /// traces', shapes' and data-referenced annotations'.
    var extremes: [String: PlotlyExtremes] = [:]
    var legendEntries: [(label: String, handle: Mark)] = []
    var seenGroups: Set<String> = []
    /// Rectangles the widgets draw (slider rail, ticks and handle, dropdown boxes).
    var patches: [FigurePatch] = []

    static let px = StaticFigure.pointsPerPixel

    init(view: InteractiveFigure, options: StaticFigure.Options) {
        self.view = view
        self.theme = options.theme
        let l = view.layout
        width = l["width"]?.numberValue ?? options.width
        height = l["height"]?.numberValue ?? options.height
        let m = l["margin"]?.objectValue ?? [:]
        left = m["l"]?.numberValue ?? 80
        right = m["r"]?.numberValue ?? 80
        top = m["t"]?.numberValue ?? 100
        bottom = m["b"]?.numberValue ?? 80
    }

    /// The plotting area in pixels.
    var plotWidth: Double { max(width - left - right, 1) }
    var plotHeight: Double { max(height - top - bottom, 1) }

    /// Paper x / y → figure fraction.
    func figureX(_ p: Double) -> Double { (left + p * plotWidth) / width }
    func figureY(_ p: Double) -> Double { (bottom + p * plotHeight) / height }

    // MARK: Subplots

    /// `x` → 1, `x12` → 12 (0 when not an axis reference).
    static func number(_ ref: String) -> Int {
        let digits = ref.drop(while: { $0.isLetter })
        return digits.isEmpty ? 1 : (Int(digits) ?? 0)
    }

    /// `x2` → `xaxis2`.
    static func axisName(_ ref: String) -> String {
        guard let letter = ref.first else { return ref }
        let n = number(ref)
        return n > 1 ? "\(letter)axis\(n)" : "\(letter)axis"
    }

    /// `xaxis2` → `x2`.
    static func ref(ofAxis name: String) -> String {
        guard let letter = name.first else { return name }
        let digits = name.dropFirst(5)
        return digits.isEmpty ? String(letter) : "\(letter)\(digits)"
    }

    /// The subplots: every (xaxis, yaxis) pair the traces use, and every x
    /// axis of the layout with its anchor, ordered by axis number.
    mutating func findSubplots() {
        var pairs: [String: String] = [:]  // "x2|y2"
        var order: [(Int, Int, String, String)] = []
        func add(_ x: String, _ y: String) {
            guard pairs["\(x)|\(y)"] == nil else { return }
            pairs["\(x)|\(y)"] = x
            order.append((Self.number(x), Self.number(y), x, y))
        }
        for t in view.data {
            add(t["xaxis"]?.stringValue ?? "x", t["yaxis"]?.stringValue ?? "y")
        }
        let used = Set(order.map { $0.2 })
        let xNames = view.layout.keys.filter { k in
            k.hasPrefix("xaxis") && k.dropFirst(5).allSatisfy(\.isNumber)
        }
        for name in xNames {
            let x = Self.ref(ofAxis: name)
            guard !used.contains(x) else { continue }
            let anchor = view.layout[name]?.objectValue?["anchor"]?.stringValue ?? "y"
            add(x, anchor.hasPrefix("y") ? anchor : "y")
        }
        if order.isEmpty { add("x", "y") }
        order.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        for (_, _, x, y) in order {
            let xa = view.layout[Self.axisName(x)]?.objectValue ?? [:]
            let ya = view.layout[Self.axisName(y)]?.objectValue ?? [:]
            let xd = xa["domain"]?.numbersValue ?? [0, 1]
            let yd = ya["domain"]?.numbersValue ?? [0, 1]
            let (x0, x1) = (xd.first ?? 0, xd.count > 1 ? xd[1] : 1)
            let (y0, y1) = (yd.first ?? 0, yd.count > 1 ? yd[1] : 1)
            let rect = [
                figureX(x0), figureY(y0), (x1 - x0) * plotWidth / width, (y1 - y0) * plotHeight / height,
            ]
            subplots.append(StaticSubplot(xRef: x, yRef: y, xAxis: xa, yAxis: ya, rect: rect))
        }
    }

    /// The subplot of a trace's axes (added by `findSubplots`).
    func subplotIndex(x: String, y: String) -> Int {
        subplots.firstIndex { $0.xRef == x && $0.yRef == y } ?? 0
    }

    /// The subplot an annotation or shape belongs to: the one of its data or
    /// domain references (x first), else the first.
    func hostIndex(xref: String, yref: String) -> Int {
        let x = xref.split(separator: " ").first.map(String.init) ?? "paper"
        let y = yref.split(separator: " ").first.map(String.init) ?? "paper"
        if x != "paper", y != "paper", let i = subplots.firstIndex(where: { $0.xRef == x && $0.yRef == y }) {
            return i
        }
        if x != "paper", let i = subplots.firstIndex(where: { $0.xRef == x }) { return i }
        if y != "paper", let i = subplots.firstIndex(where: { $0.yRef == y }) { return i }
        return 0
    }

    // MARK: Axes

    /// One plotly axis as a figure-model axis.
    func axis(_ a: PlotObject, log: Bool) -> Axis {
        var axis = Axis(scale: log ? .log : .linear)
        axis.label = StaticFigure.plainText(
            a.value(at: "title.text")?.stringValue ?? a["title"]?.stringValue ?? "")
        if let size = a.value(at: "title.font.size")?.numberValue { axis.labelFontSize = size * Self.px }
        // Plotly draws no minor ticks unless asked; its tick labels turn when they collide.
        axis.minorTicks = []
        if let angle = a["tickangle"]?.numberValue {
            axis.tickLabelRotation = -angle
        } else {
            axis.autoRotateTickLabels = true
        }
        if a["visible"]?.boolValue == false { axis.label = "" }
        return axis
    }

    // MARK: Translation

    mutating func translate(measurer: some TextMeasurer) -> Figure {
        findSubplots()
        axes = subplots.map { s in
            var ax = Axes()
            ax.position = s.rect
            ax.x = axis(s.xAxis, log: s.xLog)
            ax.y = axis(s.yAxis, log: s.yLog)
            let xVisible = s.xAxis["visible"]?.boolValue != false
            let yVisible = s.yAxis["visible"]?.boolValue != false
            ax.axisOn = xVisible || yVisible
            let xGrid = xVisible && s.xAxis["showgrid"]?.boolValue != false
            let yGrid = yVisible && s.yAxis["showgrid"]?.boolValue != false
            if xGrid || yGrid {
                ax.grid = Grid(
                    which: .major, axis: xGrid && yGrid ? .both : xGrid ? .x : .y, lineStyle: .solid,
                    lineWidth: Self.px, color: StaticFigure.gridColor)
            }
            return ax
        }
        for (i, trace) in view.data.enumerated() { addTrace(trace, index: i) }
        // The legend's entries are known: the margins grow for it and the widgets, and the subplots move.
        pushMargins(measurer: measurer)
        subplots = []
        findSubplots()
        for k in axes.indices where k < subplots.count { axes[k].position = subplots[k].rect }
        for (i, shape) in (view.layout["shapes"]?.arrayValue ?? []).enumerated() {
            if let s = shape.objectValue { addShape(s, index: i) }
        }
        for (i, note) in (view.layout["annotations"]?.arrayValue ?? []).enumerated() {
            if let a = note.objectValue { addAnnotation(a, index: i, measurer: measurer) }
        }
        applyRanges(measurer: measurer)
        addWidgets(measurer: measurer)

        var fig = Figure(
            widthInches: width / StaticFigure.pixelsPerInch, heightInches: height / StaticFigure.pixelsPerInch,
            dpi: 100, theme: theme, rows: 1, cols: max(axes.count, 1), axes: axes)
        let title = view.layout.value(at: "title.text")?.stringValue ?? view.layout["title"]?.stringValue ?? ""
        if !title.isEmpty {
            fig.suptitle = StaticFigure.plainText(title)
            if let size = view.layout.value(at: "title.font.size")?.numberValue {
                fig.suptitleFontSize = size * Self.px
            }
        }
        if let legend = legend(measurer: measurer) { fig.legends = [legend] }
        if !patches.isEmpty { fig.patches = patches }
        return fig
    }

    // MARK: Traces

    /// Plotly's marker symbol as a matplotlib marker, and whether it is drawn
    /// hollow (`-open`, or a line-only symbol).
    static func marker(_ symbol: String?) -> (MarkerStyle, open: Bool, lineOnly: Bool) {
        let s = symbol ?? "circle"
        let open = s.contains("-open")
        let base = s.replacingOccurrences(of: "-open", with: "").replacingOccurrences(of: "-dot", with: "")
        switch base {
        case "square": return (.square, open, false)
        case "diamond": return (.diamond, open, false)
        case "diamond-tall", "diamond-wide": return (.thinDiamond, open, false)
        case "triangle-up": return (.triangleUp, open, false)
        case "triangle-down": return (.triangleDown, open, false)
        case "triangle-left": return (.triangleLeft, open, false)
        case "triangle-right": return (.triangleRight, open, false)
        case "pentagon": return (.pentagon, open, false)
        case "hexagon", "hexagon2": return (.hexagon, open, false)
        case "star": return (.star, open, false)
        case "cross": return (.plusFilled, open, false)
        case "x": return (.xFilled, open, false)
        case "cross-thin", "asterisk": return (.plus, true, true)
        case "x-thin": return (.x, true, true)
        case "line-ns": return (.vline, true, true)
        case "line-ew": return (.hline, true, true)
        default: return (.circle, open, false)
        }
    }

    static func lineStyle(_ dash: String?) -> LineStyle {
        switch dash ?? "solid" {
        case "solid": return .solid
        case "dot": return .dotted
        case "dashdot", "longdashdot": return .dashDot
        default: return .dashed
        }
    }

    /// A trace's values along one axis (indices where it has none; strings
    /// as category indices; non-positive values dropped on a log axis).
    static func values(_ v: PlotValue?, count: Int, log: Bool) -> [Double] {
        var out: [Double]
        if let nums = v?.numbersValue {
            out = nums
        } else if let items = v?.arrayValue {
            out = items.indices.map(Double.init)
        } else {
            out = (0..<count).map(Double.init)
        }
        if log { out = out.map { $0 > 0 ? $0 : .nan } }
        return out
    }

    mutating func addTrace(_ t: PlotObject, index: Int) {
        let type = t["type"]?.stringValue ?? "scatter"
        guard type == "scatter" || type == "scattergl" else { return }
        let k = subplotIndex(x: t["xaxis"]?.stringValue ?? "x", y: t["yaxis"]?.stringValue ?? "y")
        let sp = subplots[k]
        let n = max(t["x"]?.arrayValue?.count ?? 0, t["y"]?.arrayValue?.count ?? 0)
        let x = Self.values(t["x"], count: n, log: sp.xLog)
        let y = Self.values(t["y"], count: n, log: sp.yLog)
        let zorder = 1 + Double(index) * 1e-3
        let cycle = theme.colorCycle.isEmpty ? [Color.black] : theme.colorCycle
        let traceColor = cycle[index % cycle.count]
        let opacity = t["opacity"]?.numberValue ?? 1
        let marker = t["marker"]?.objectValue ?? [:]
        let line = t["line"]?.objectValue ?? [:]
        let mode = t["mode"]?.stringValue ?? (n < 20 ? "lines+markers" : "lines")
        let scalarMarkerColor = StaticFigure.color(marker["color"])
        let lineColorBase = StaticFigure.color(line["color"]) ?? scalarMarkerColor ?? traceColor
        let lineWidthPx = line["width"]?.numberValue ?? 2
        let hasLine = mode.contains("lines") && lineWidthPx > 0
        let hasMarkers = mode.contains("markers")
        func faded(_ c: Color, _ a: Double) -> Color { c.withAlpha(c.alpha * a) }
        let lineColor = faded(lineColorBase, opacity)
        addTraceExtremes(
            t, x: x, y: y, subplot: k, markerSizes: mode.contains("markers") ? marker["size"] : nil,
            hasText: mode.contains("text"))

        // Fill (under the trace's own line and markers).
        var fillColor: Color? = nil
        if let fill = t["fill"]?.stringValue, fill != "none" {
            let fc = faded(StaticFigure.color(t["fillcolor"]) ?? lineColorBase.withAlpha(0.5), opacity)
            fillColor = fc
            var px: [Double] = []
            var py: [Double] = []
            switch fill {
            case "toself":
                (px, py) = (x, y)
            case "tonexty", "tonextx":
                if let prev = previousTrace(before: index, subplot: k) {
                    let pn = max(prev["x"]?.arrayValue?.count ?? 0, prev["y"]?.arrayValue?.count ?? 0)
                    px = x + Self.values(prev["x"], count: pn, log: sp.xLog).reversed()
                    py = y + Self.values(prev["y"], count: pn, log: sp.yLog).reversed()
                } else {
                    (px, py) =
                        fill == "tonexty"
                        ? (x + x.reversed(), y + y.map { _ in 0 }) : (x + x.map { _ in 0 }, y + y.reversed())
                }
            case "tozeroy":
                px = x + x.reversed()
                py = y + y.map { _ in 0 }
            case "tozerox":
                px = x + x.map { _ in 0 }
                py = y + y.reversed()
            default: break
            }
            if px.count > 2 {
                var f = FillMark(polygon: px, py, color: fc, zorder: zorder)
                f.edgeColor = .none
                f.lineWidth = 0
                axes[k].marks.append(.fill(f))
            }
        }

        var lineMark: LineMark? = nil
        if hasLine {
            let l = LineMark(
                x: x, y: y, color: lineColor, lineStyle: Self.lineStyle(line["dash"]?.stringValue),
                lineWidth: lineWidthPx * Self.px, zorder: zorder)
            lineMark = l
            axes[k].marks.append(.line(l))
        }

        // Markers.
        var markerMark: LineMark? = nil
        let (style, open, lineOnly) = Self.marker(marker["symbol"]?.stringValue)
        let sizePx = marker["size"]?.numberValue ?? 6
        let markerAlpha = (marker["opacity"]?.numberValue ?? 1) * opacity
        let markerColorBase = scalarMarkerColor ?? (hasLine ? lineColorBase : traceColor)
        let mlWidth = marker.value(at: "line.width")?.numberValue ?? 0
        let mlColor = StaticFigure.color(marker.value(at: "line.color"))
        var face = faded(markerColorBase, markerAlpha)
        var edge = face
        var edgeWidth = 0.0
        if open || lineOnly {
            face = .none
            edge = faded(lineOnly ? (mlColor ?? markerColorBase) : markerColorBase, markerAlpha)
            edgeWidth = (mlWidth > 0 ? mlWidth : 1) * Self.px
        } else if mlWidth > 0 {
            let defaultEdge =
                hasLine && lineColorBase != markerColorBase ? lineColorBase : StaticFigure.plotlyDefaultLine
            edge = faded(mlColor ?? defaultEdge, markerAlpha)
            edgeWidth = mlWidth * Self.px
        }
        if hasMarkers {
            if marker["color"]?.arrayValue != nil || marker["size"]?.numbersValue != nil {
                let colors = marker["color"]?.arrayValue?.map {
                    StaticFigure.color($0).map { faded($0, markerAlpha) } ?? face
                }
                let sizes = (marker["size"]?.numbersValue ?? [sizePx]).map { ($0 * Self.px) * ($0 * Self.px) }
                let s = ScatterMark(
                    x: x, y: y, sizes: sizes, colors: open || lineOnly ? [Color.none] : (colors ?? [face]),
                    edgeColors: edgeWidth > 0 ? (open || lineOnly ? (colors ?? [edge]) : [edge]) : [],
                    lineWidths: [edgeWidth], marker: style, zorder: zorder + 1e-4)
                axes[k].marks.append(.scatter(s))
            } else {
                var m = LineMark(
                    x: x, y: y, color: face, lineStyle: .none, marker: style, markerSize: sizePx * Self.px,
                    zorder: zorder + 1e-4)
                m.markerFaceColor = face
                m.markerEdgeColor = edge
                m.markerEdgeWidth = edgeWidth
                markerMark = m
                axes[k].marks.append(.line(m))
            }
        }

        // Per-point text.
        if mode.contains("text") {
            addPointTexts(t, x: x, y: y, subplot: k, markerPx: hasMarkers ? sizePx : 0, zorder: zorder)
        }

        // The legend entry.
        addLegendEntry(t, line: lineMark, marker: markerMark, fill: fillColor, markerSizePx: sizePx)
    }

    /// The trace a `tonexty` fill reaches back to: the previous one on the same subplot.
    func previousTrace(before index: Int, subplot k: Int) -> PlotObject? {
        var i = index - 1
        while i >= 0 {
            let t = view.data[i]
            if subplotIndex(x: t["xaxis"]?.stringValue ?? "x", y: t["yaxis"]?.stringValue ?? "y") == k { return t }
            i -= 1
        }
        return nil
    }

    /// Horizontal and vertical alignment for a `textposition` (the text sits
    /// on the named side of the point).
    static func textAlignment(_ position: String) -> (HorizontalAlignment, VerticalAlignment, Double, Double) {
        let parts = position.split(separator: " ").map(String.init)
        let v = parts.first ?? "middle"
        let h = parts.count > 1 ? parts[1] : "center"
        let ha: HorizontalAlignment = h == "left" ? .right : h == "right" ? .left : .center
        let va: VerticalAlignment = v == "top" ? .bottom : v == "bottom" ? .top : .center
        let dx: Double = h == "left" ? -1 : h == "right" ? 1 : 0
        let dy: Double = v == "top" ? 1 : v == "bottom" ? -1 : 0
        return (ha, va, dx, dy)
    }

    mutating func addPointTexts(
        _ t: PlotObject, x: [Double], y: [Double], subplot k: Int, markerPx: Double, zorder: Double
    ) {
        let texts: [String]
        if let s = t["text"]?.stringValue {
            texts = Array(repeating: s, count: x.count)
        } else {
            texts = (t["text"]?.arrayValue ?? []).map {
                $0.stringValue ?? $0.numberValue.map { PythonFormat.repr($0) } ?? ""
            }
        }
        let positions: [String]
        if let p = t["textposition"]?.arrayValue {
            positions = p.map { $0.stringValue ?? "middle center" }
        } else {
            positions = [t["textposition"]?.stringValue ?? "middle center"]
        }
        let font = t["textfont"]?.objectValue ?? [:]
        let size = (font["size"]?.numberValue ?? 12) * Self.px
        let color = StaticFigure.color(font["color"])
        for i in 0..<min(texts.count, x.count, y.count) where !texts[i].isEmpty && x[i].isFinite && y[i].isFinite {
            let (ha, va, dx, dy) = Self.textAlignment(positions[i < positions.count ? i : positions.count - 1])
            let gap = (markerPx / 2 + 3) * Self.px
            var m = TextMark(
                StaticFigure.plainText(texts[i]), x: x[i], y: y[i], fontSize: size, color: color,
                horizontalAlignment: ha, verticalAlignment: va)
            m.offsetX = dx * gap
            m.offsetY = dy * gap
            m.zorder = zorder + 2e-4
            axes[k].marks.append(.text(m))
        }
    }

    // MARK: Legend

    mutating func addLegendEntry(
        _ t: PlotObject, line: LineMark?, marker: LineMark?, fill: Color?, markerSizePx: Double
    ) {
        guard t["showlegend"]?.boolValue != false, let name = t["name"]?.stringValue, !name.isEmpty else { return }
        if let group = t["legendgroup"]?.stringValue, !group.isEmpty {
            guard !seenGroups.contains(group) else { return }
            seenGroups.insert(group)
        }
        let handle: Mark
        if line == nil, marker == nil, let fill {
            handle = .fill(FillMark(polygon: [], [], color: fill))
        } else {
            var h = line ?? LineMark(x: [], y: [], lineStyle: .none)
            h.x = []
            h.y = []
            if let m = marker {
                h.marker = m.marker
                h.markerSize = min(m.markerSize ?? 0, 16 * Self.px)
                h.markerFaceColor = m.markerFaceColor
                h.markerEdgeColor = m.markerEdgeColor
                h.markerEdgeWidth = m.markerEdgeWidth
                if line == nil { h.color = m.color }
            }
            handle = .line(h)
        }
        legendEntries.append((StaticFigure.plainText(name), handle))
    }

    /// matplotlib's location code for plotly's anchors.
    static func loc(x: String, y: String) -> Int {
        switch (y, x) {
        case ("top", "left"): return 2
        case ("top", "center"): return 9
        case ("top", "right"): return 1
        case ("middle", "left"): return 6
        case ("middle", "center"): return 10
        case ("middle", "right"): return 7
        case ("bottom", "left"): return 3
        case ("bottom", "center"): return 8
        default: return 4
        }
    }

    /// Plotly's `auto` anchor: left/bottom below 1/3, right/top above 2/3, else centred.
    static func autoAnchor(_ v: Double, low: String, mid: String, high: String) -> String {
        v <= 1.0 / 3 ? low : v >= 2.0 / 3 ? high : mid
    }

    // MARK: Shapes and annotations

    /// One coordinate of a shape or annotation on subplot `k`: data, or an
    /// axes fraction (from a domain or paper reference).
    enum Coordinate {
        case data(Double)
        case fraction(Double)
    }

    func coordinate(_ v: Double, ref: String, subplot k: Int, isX: Bool, logUnits: Bool) -> Coordinate {
        let r = subplots[k].rect
        if ref == "paper" {
            let f = isX ? figureX(v) : figureY(v)
            return .fraction(isX ? (f - r[0]) / r[2] : (f - r[1]) / r[3])
        }
        if ref.hasSuffix(" domain") { return .fraction(v) }
        let log = isX ? subplots[k].xLog : subplots[k].yLog
        return .data(log && logUnits ? pow(10, v) : v)
    }

    /// A fraction of subplot `k`'s axis as a data value, when the axis has an explicit range.
    func dataValue(_ c: Coordinate, subplot k: Int, isX: Bool) -> Double? {
        switch c {
        case .data(let v): return v
        case .fraction(let f):
            let a = isX ? axes[k].x : axes[k].y
            guard var lo = a.lower, var hi = a.upper else { return nil }
            if a.inverted { swap(&lo, &hi) }
            if a.scale == .log { return pow(10, log10(lo) + f * (log10(hi) - log10(lo))) }
            return lo + f * (hi - lo)
        }
    }

    mutating func addShape(_ s: PlotObject, index: Int) {
        guard s["visible"]?.boolValue != false else { return }
        let type = s["type"]?.stringValue ?? "rect"
        guard type == "line" || type == "rect" else { return }
        let xref = s["xref"]?.stringValue ?? "x"
        let yref = s["yref"]?.stringValue ?? "y"
        let k = hostIndex(xref: xref, yref: yref)
        guard let x0 = s["x0"]?.numberValue, let x1 = s["x1"]?.numberValue, let y0 = s["y0"]?.numberValue,
            let y1 = s["y1"]?.numberValue
        else { return }
        let cx0 = coordinate(x0, ref: xref, subplot: k, isX: true, logUnits: false)
        let cx1 = coordinate(x1, ref: xref, subplot: k, isX: true, logUnits: false)
        let cy0 = coordinate(y0, ref: yref, subplot: k, isX: false, logUnits: false)
        let cy1 = coordinate(y1, ref: yref, subplot: k, isX: false, logUnits: false)
        let opacity = s["opacity"]?.numberValue ?? 1
        let line = s["line"]?.objectValue ?? [:]
        let lineWidthPx = line["width"]?.numberValue ?? 2
        // plotly's shape autorange: both ends, half the line width beyond them.
        let pad = [max(lineWidthPx, 0) / 2]
        for (ends, isX) in [([cx0, cx1], true), ([cy0, cy1], false)] {
            let values = ends.compactMap { c -> Double? in if case .data(let v) = c { return v } else { return nil } }
            guard values.count == 2 else { continue }
            let sp = subplots[k]
            extremes[isX ? sp.xRef : sp.yRef, default: PlotlyExtremes()].add(
                values, log: isX ? sp.xLog : sp.yLog, padLower: pad, padUpper: pad, padded: false)
        }
        let lineColor = (StaticFigure.color(line["color"]) ?? StaticFigure.plotlyDefaultLine)
        let stroke = lineColor.withAlpha(lineColor.alpha * opacity)
        let dash = Self.lineStyle(line["dash"]?.stringValue)
        let zorder = (s["layer"]?.stringValue == "below" ? 0.8 : 4) + Double(index) * 1e-4
        if type == "line" {
            guard lineWidthPx > 0 else { return }
            switch (cx0, cx1, cy0, cy1) {
            case (.data(let a), .data(let b), .fraction(let f0), .fraction(let f1)) where a == b:
                axes[k].marks.append(
                    .referenceLine(
                        ReferenceLineMark(
                            .vertical, at: a, from: f0, to: f1, color: stroke, lineStyle: dash,
                            lineWidth: lineWidthPx * Self.px, zorder: zorder)))
            case (.fraction(let f0), .fraction(let f1), .data(let a), .data(let b)) where a == b:
                axes[k].marks.append(
                    .referenceLine(
                        ReferenceLineMark(
                            .horizontal, at: a, from: f0, to: f1, color: stroke, lineStyle: dash,
                            lineWidth: lineWidthPx * Self.px, zorder: zorder)))
            default:
                guard let a = dataValue(cx0, subplot: k, isX: true), let b = dataValue(cx1, subplot: k, isX: true),
                    let c = dataValue(cy0, subplot: k, isX: false), let d = dataValue(cy1, subplot: k, isX: false)
                else { return }
                axes[k].marks.append(
                    .line(
                        LineMark(
                            x: [a, b], y: [c, d], color: stroke, lineStyle: dash, lineWidth: lineWidthPx * Self.px,
                            zorder: zorder)))
            }
            return
        }
        let fill = StaticFigure.color(s["fillcolor"]) ?? Color.none
        let face = fill.withAlpha(fill.alpha * opacity)
        let edge = lineWidthPx > 0 ? stroke : Color.none
        switch (cx0, cx1, cy0, cy1) {
        case (.data(let a), .data(let b), .fraction(let f0), .fraction(let f1)):
            var m = SpanMark(
                .vertical, min(a, b), max(a, b), from: min(f0, f1), to: max(f0, f1), color: face, zorder: zorder)
            m.edgeColor = edge
            axes[k].marks.append(.span(m))
        case (.fraction(let f0), .fraction(let f1), .data(let a), .data(let b)):
            var m = SpanMark(
                .horizontal, min(a, b), max(a, b), from: min(f0, f1), to: max(f0, f1), color: face, zorder: zorder)
            m.edgeColor = edge
            axes[k].marks.append(.span(m))
        default:
            guard let a = dataValue(cx0, subplot: k, isX: true), let b = dataValue(cx1, subplot: k, isX: true),
                let c = dataValue(cy0, subplot: k, isX: false), let d = dataValue(cy1, subplot: k, isX: false)
            else { return }
            var m = FillMark(polygon: [a, b, b, a], [c, c, d, d], color: face, zorder: zorder)
            m.edgeColor = edge
            m.lineWidth = lineWidthPx * Self.px
            axes[k].marks.append(.fill(m))
        }
    }

    mutating func addAnnotation(_ a: PlotObject, index: Int, measurer: some TextMeasurer) {
        guard a["visible"]?.boolValue != false, let raw = a["text"]?.stringValue, !raw.isEmpty else { return }
        let xref = a["xref"]?.stringValue ?? "x"
        let yref = a["yref"]?.stringValue ?? "y"
        let k = hostIndex(xref: xref, yref: yref)
        let cx = coordinate(a["x"]?.numberValue ?? 0.5, ref: xref, subplot: k, isX: true, logUnits: true)
        let cy = coordinate(a["y"]?.numberValue ?? 0.5, ref: yref, subplot: k, isX: false, logUnits: true)
        let arrow = a["showarrow"]?.boolValue ?? true
        var xa = a["xanchor"]?.stringValue ?? "auto"
        var ya = a["yanchor"]?.stringValue ?? "auto"
        let xIsPaper = xref == "paper" || xref.hasSuffix(" domain")
        let yIsPaper = yref == "paper" || yref.hasSuffix(" domain")
        if xa == "auto" {
            xa =
                arrow || !xIsPaper
                ? "center" : Self.autoAnchor(a["x"]?.numberValue ?? 0.5, low: "left", mid: "center", high: "right")
        }
        if ya == "auto" {
            ya =
                arrow || !yIsPaper
                ? "middle" : Self.autoAnchor(a["y"]?.numberValue ?? 0.5, low: "bottom", mid: "middle", high: "top")
        }
        let font = a["font"]?.objectValue ?? [:]
        let size = (font["size"]?.numberValue ?? 12) * Self.px
        var dx = (a["xshift"]?.numberValue ?? 0) * Self.px
        var dy = (a["yshift"]?.numberValue ?? 0) * Self.px
        if arrow {
            dx += (a["ax"]?.numberValue ?? -10) * Self.px
            dy -= (a["ay"]?.numberValue ?? -30) * Self.px
        }
        // plotly's box: the text's line boxes (lines 1.3 font sizes apart) plus borderpad and
        // borderwidth on every side, its anchor side at the (shifted) point; the text's first
        // baseline the font's ascent below the box's top. The autorange keeps the box inside.
        let text = StaticFigure.plainText(raw)
        let fontPx = size / Self.px
        let lines = Double(text.split(separator: "\n", omittingEmptySubsequences: false).count)
        let e = measurer.measure(text, fontSize: size, bold: false)
        let border = (a["borderpad"]?.numberValue ?? 1) + (a["borderwidth"]?.numberValue ?? 1)
        let w = e.width / Self.px + 2 * border
        let h = (lines - 1) * fontPx * Self.lineSpacing + Self.lineBox(fontPx) + 2 * border
        let cxPx = dx / Self.px + (xa == "left" ? w / 2 : xa == "right" ? -w / 2 : 0)
        let cyPx = dy / Self.px + (ya == "bottom" ? h / 2 : ya == "top" ? -h / 2 : 0)
        let boxTop = ya == "top" ? 0 : ya == "bottom" ? h : h / 2
        let lastBaseline =
            boxTop - border - (0.928 * fontPx).rounded() - (lines - 1) * fontPx * Self.lineSpacing
        dx += (xa == "left" ? border : xa == "right" ? -border : 0) * Self.px
        dy += lastBaseline * Self.px
        // plotly's annotation autorange: the point, with the box's reach on each side.
        if case .data(let v) = cx {
            extremes[subplots[k].xRef, default: PlotlyExtremes()].add(
                [v], log: subplots[k].xLog, padLower: [w / 2 - cxPx], padUpper: [w / 2 + cxPx], padded: false)
        }
        if case .data(let v) = cy {
            extremes[subplots[k].yRef, default: PlotlyExtremes()].add(
                [v], log: subplots[k].yLog, padLower: [h / 2 - cyPx], padUpper: [h / 2 + cyPx], padded: false)
        }
        addText(
            text, cx, cy, subplot: k, ha: xa, va: "baseline", size: size,
            color: StaticFigure.color(font["color"]), offset: (dx, dy), zorder: 5 + Double(index) * 1e-4,
            background: StaticFigure.color(a["bgcolor"]), pad: a["borderpad"]?.numberValue ?? 1,
            arrow: arrow
                ? TextArrow(
                    color: StaticFigure.color(a["arrowcolor"]) ?? StaticFigure.plotlyDefaultLine,
                    lineWidth: (a["arrowwidth"]?.numberValue ?? 1) * Self.px) : nil,
            keepsClear: true)
    }

    /// A text at mixed coordinates on subplot `k`.
    mutating func addText(
        _ text: String, _ cx: Coordinate, _ cy: Coordinate, subplot k: Int, ha: String, va: String, size: Double,
        color: Color?, offset: (Double, Double), zorder: Double, background: Color?, pad: Double, arrow: TextArrow?,
        keepsClear: Bool = false
    ) {
        let (xv, xc): (Double, Coordinates)
        switch cx {
        case .data(let v): (xv, xc) = (v, .data)
        case .fraction(let f): (xv, xc) = (f, .axes)
        }
        let (yv, yc): (Double, Coordinates)
        switch cy {
        case .data(let v): (yv, yc) = (v, .data)
        case .fraction(let f): (yv, yc) = (f, .axes)
        }
        let hAlign: HorizontalAlignment = ha == "left" ? .left : ha == "right" ? .right : .center
        let vAlign: VerticalAlignment =
            va == "top" ? .top : va == "bottom" ? .bottom : va == "baseline" ? .baseline : .center
        var m = TextMark(
            text, x: xv, y: yv, coordinates: xc, fontSize: size, color: color, horizontalAlignment: hAlign,
            verticalAlignment: vAlign)
        if yc != xc { m.yCoordinates = yc }
        if offset.0 != 0 { m.offsetX = offset.0 }
        if offset.1 != 0 { m.offsetY = offset.1 }
        m.zorder = zorder
        m.arrow = arrow
        if keepsClear { m.keepsClear = true }
        if let background, background.alpha > 0 {
            m.box = TextBox(
                rounded: false, faceColor: background, edgeColor: Color.none, pad: pad * Self.px / size + 0.2)
        }
        axes[k].marks.append(.text(m))
    }
}
