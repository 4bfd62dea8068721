import FigpipeBasics
import FigureModel
import Foundation

extension PlotlyBackend {
    /// A static `Figure` as plotly figure JSON: `interactiveFigure(for:layout:)`
    /// written as two-space indented JSON with sorted keys and a final newline
    /// (the same bytes for the same figure on every run).
    public static func json(for figure: Figure, layout: FigureLayout? = nil) -> [UInt8] {
        Array(interactiveFigure(for: figure, layout: layout).json.prettyString().utf8)
    }

    /// A static, matplotlib-shaped `Figure` as a plotly figure: one subplot
    /// (`xaxis`, `xaxis2`, … with their `yaxis`) per axes, row-major, and its
    /// marks as traces, layout shapes and annotations:
    ///
    /// - line → `scatter` (mode lines and/or markers), scatter → `scatter`
    ///   markers (points² → a diameter in px), bars → `bar` (centres, widths,
    ///   `base`, orientation; `barmode: 'overlay'`, so bars stay where
    ///   matplotlib puts them), error bars → `scatter` with `error_x`/`error_y`
    ///   arrays, fills → a closed `scatter` polygon (`fill: 'toself'`, one
    ///   piece per finite run of a band);
    /// - reference lines and spans → layout shapes in data × axes-domain
    ///   coordinates; texts and annotations → layout annotations (data values
    ///   as log10 on log axes, as plotly reads annotation positions);
    /// - axes titles → annotations above their subplots; the suptitle → `layout.title`;
    /// - axis scales, view limits (`range`, log10 of the limits on log axes),
    ///   fixed ticks (`tickvals`/`ticktext`), labels, grid and spines from the theme;
    /// - every axes legend (and figure legend) → a plotly legend (`legend`,
    ///   `legend2`, …); labelled marks get `name`, `legendgroup` and `showlegend`;
    /// - marks' `hoverTexts` → `hovertext` with `hoverinfo: 'text'`.
    ///
    /// Sizes in points become pixels at the figure's dpi; the figure is
    /// `widthInches × dpi` by `heightInches × dpi` px with no margins, so that
    /// subplot domains are figure fractions. With a `layout` (the one
    /// `FigureLayout.compute` made for the PNG) the domains and legend boxes
    /// are the drawn ones; without, the grid cells of the subplot parameters.
    /// View limits are matplotlib's autoscaled ones (`Scales.limits`) either way.
    public static func interactiveFigure(for figure: Figure, layout: FigureLayout? = nil) -> InteractiveFigure {
        FigureConverter(figure: figure, layout: layout).convert()
    }
}

/// The conversion of one `Figure` (see `PlotlyBackend.interactiveFigure(for:layout:)`).
struct FigureConverter {
    let figure: Figure
    let layout: FigureLayout?
    let limits: [(x: ViewLimits, y: ViewLimits)]
    let theme: Theme
    /// Pixels per point at the figure's dpi.
    let px: Double

    init(figure: Figure, layout: FigureLayout?) {
        self.figure = figure.resolvingDefaults()
        self.layout = layout.flatMap { $0.axes.count == figure.axes.count ? $0 : nil }
        self.limits = Scales.limits(figure)
        self.theme = figure.theme
        self.px = figure.dpi / 72
    }

    var widthPoints: Double { figure.widthInches * 72 }
    var heightPoints: Double { figure.heightInches * 72 }

    func convert() -> InteractiveFigure {
        var out = InteractiveFigure()
        let legendIDs = legendAssignments()
        var shownLabels: Set<String> = []
        for (i, axes) in figure.axes.enumerated() {
            let k = i + 1
            let (xd, yd) = domains(i)
            out.layout[SubplotGrid.axisName("x", k)] = .object(
                axisObject(axes.x, limits: limits[i].x, letter: "x", k: k, domain: xd, axes: axes))
            out.layout[SubplotGrid.axisName("y", k)] = .object(
                axisObject(axes.y, limits: limits[i].y, letter: "y", k: k, domain: yd, axes: axes))
            let refs = Refs(x: SubplotGrid.ref("x", k), y: SubplotGrid.ref("y", k))
            let logX = axes.x.scale == .log
            let logY = axes.y.scale == .log
            for mark in axes.marks {
                var legend: PlotObject = [:]
                if let label = mark.label, let id = legendIDs[i][label] {
                    // One entry per label and legend: later marks with the label join its group.
                    let key = id + "\u{0}" + label
                    legend = [
                        "name": .string(plotlyText(label)), "legendgroup": .string(label),
                        "showlegend": .bool(!shownLabels.contains(key)),
                    ]
                    if id != "legend" { legend["legend"] = .string(id) }
                    shownLabels.insert(key)
                } else {
                    legend = ["showlegend": false]
                }
                switch mark {
                case .line(let m):
                    out.addTrace(lineTrace(m).updating(legend), row: refs)
                case .scatter(let m):
                    out.addTrace(scatterTrace(m).updating(legend), row: refs)
                case .bars(let m):
                    out.addTrace(barTrace(m).updating(legend), type: "bar", row: refs)
                case .errorBar(let m):
                    out.addTrace(errorBarTrace(m).updating(legend), row: refs)
                case .fill(let m):
                    out.addTrace(fillTrace(m).updating(legend), row: refs)
                case .referenceLine(let m):
                    out.addShape(referenceLineShape(m, refs: refs).updating(legend))
                case .span(let m):
                    out.addShape(spanShape(m, refs: refs).updating(legend))
                case .text(let m):
                    out.addAnnotation(textAnnotation(m, refs: refs, logX: logX, logY: logY))
                case .annotation(let m):
                    out.addAnnotation(annotationAnnotation(m, refs: refs, logX: logX, logY: logY))
                }
            }
            if !axes.title.isEmpty {
                out.addAnnotation([
                    "text": .string(plotlyText(axes.title)), "showarrow": false,
                    "xref": "paper", "yref": "paper", "x": .number((xd[0] + xd[1]) / 2), "y": .number(yd[1]),
                    "xanchor": "center", "yanchor": "bottom", "yshift": .number(theme.titlePad * px),
                    "font": [
                        "size": .number((axes.titleFontSize ?? theme.titleSize) * px),
                        "color": .string(css(theme.titleColor)),
                    ],
                ])
            }
        }
        var legends: [(id: String, object: PlotObject)] = []
        for (i, axes) in figure.axes.enumerated() {
            if let l = axes.legend, let id = axesLegendID(i) {
                legends.append((id, legendObject(l, frame: layout?.axes[i].legend?.frame, domain: domains(i))))
            }
        }
        for (j, l) in figure.legends.enumerated() {
            let frame = layout.flatMap { j < $0.legends.count ? $0.legends[j].frame : nil }
            legends.append((figureLegendID(j), legendObject(l, frame: frame, domain: ([0, 1], [0, 1]))))
        }
        for (id, object) in legends { out.layout[id] = .object(object) }
        out.updateLayout(globalLayout(showLegend: !legends.isEmpty))
        return out
    }

    // MARK: Subplots and axes

    /// The trace's subplot: its `xaxis`/`yaxis` references.
    struct Refs {
        var x: String
        var y: String
    }

    /// The x and y domains of axes `i`, in figure fractions clamped to 0…1.
    func domains(_ i: Int) -> ([Double], [Double]) {
        let box: Box
        if let layout {
            box = layout.axes[i].box
        } else if let p = figure.axes[i].position, p.count == 4 {
            box = Box(
                x: p[0] * widthPoints, y: p[1] * heightPoints, width: p[2] * widthPoints, height: p[3] * heightPoints)
        } else {
            box = gridCell(i)
        }
        func clamp(_ v: Double) -> Double { v.isFinite ? min(1, max(0, v)) : 0 }
        return (
            [clamp(box.x / widthPoints), clamp(box.maxX / widthPoints)],
            [clamp(box.y / heightPoints), clamp(box.maxY / heightPoints)]
        )
    }

    /// matplotlib's `GridSpec.get_grid_positions` cell of axes `i` with the
    /// figure's subplot parameters (no tight layout), in points.
    func gridCell(_ i: Int) -> Box {
        let sp = figure.subplotParams
        let left = sp.left ?? theme.subplotLeft
        let right = sp.right ?? theme.subplotRight
        let bottom = sp.bottom ?? theme.subplotBottom
        let top = sp.top ?? theme.subplotTop
        let wspace = sp.wspace ?? theme.subplotWSpace
        let hspace = sp.hspace ?? theme.subplotHSpace
        let rows = max(figure.rows, 1)
        let cols = max(figure.cols, 1)
        let cellH = (top - bottom) / (Double(rows) + hspace * Double(rows - 1))
        let cellW = (right - left) / (Double(cols) + wspace * Double(cols - 1))
        let r = i / cols
        let c = i % cols
        let cellTop = top - Double(r) * (cellH + hspace * cellH)
        let cellLeft = left + Double(c) * (cellW + wspace * cellW)
        return Box(
            x: cellLeft * widthPoints, y: (cellTop - cellH) * heightPoints, width: cellW * widthPoints,
            height: cellH * heightPoints)
    }

    func axisObject(_ axis: Axis, limits: ViewLimits, letter: String, k: Int, domain: [Double], axes: Axes)
        -> PlotObject
    {
        let other = letter == "x" ? "y" : "x"
        var o: PlotObject = [
            "anchor": .string(SubplotGrid.ref(other, k)), "domain": .numbers(domain),
            "type": .string(axis.scale == .log ? "log" : "linear"),
        ]
        if let range = plotlyRange(limits, scale: axis.scale) { o["range"] = .numbers(range) }
        if !axis.label.isEmpty {
            o["title"] = [
                "text": .string(plotlyText(axis.label)),
                "font": [
                    "size": .number((axis.labelFontSize ?? theme.labelSize) * px),
                    "color": .string(css(theme.labelColor)),
                ],
            ]
        }
        if let ticks = axis.ticks {
            o["tickmode"] = "array"
            o["tickvals"] = .numbers(ticks)
            if let labels = axis.tickLabels, labels.count == ticks.count {
                o["ticktext"] = .strings(labels.map { plotlyText($0) })
            }
        } else if let formatter = axis.formatter {
            switch formatter {
            case .strMethod(let spec): o["tickformat"] = .string(spec)
            case .percent(let xmax, let decimals):
                if xmax == 1 {
                    o["tickformat"] = .string(".\(decimals ?? 0)%")
                } else {
                    o["ticksuffix"] = "%"
                }
            case .plain: o["exponentformat"] = "none"
            }
        }
        if letter == "x", let rotation = axis.tickLabelRotation, rotation != 0 {
            o["tickangle"] = .number(-rotation)
        }
        let isX = letter == "x"
        let tickSize = theme.majorTickSize
        o["ticks"] = .string(tickSize > 0 ? "outside" : "")
        if tickSize > 0 {
            o["ticklen"] = .number(tickSize * px)
            o["tickwidth"] = .number(theme.majorTickWidth * px)
            o["tickcolor"] = .string(css(theme.tickColor))
        }
        o["tickfont"] = [
            "size": .number((isX ? theme.xTickLabelSize : theme.yTickLabelSize) * px),
            "color": .string(css(theme.tickLabelColor)),
        ]
        let showLine = theme.spinesVisible && theme.axesLineWidth > 0
        o["showline"] = .bool(showLine)
        if showLine {
            o["linecolor"] = .string(css(theme.axesEdgeColor))
            o["linewidth"] = .number(theme.axesLineWidth * px)
            o["mirror"] = .bool(theme.spinesTopRight != false)
        }
        o["zeroline"] = false
        // ax.grid(…) overrides the theme's axes.grid for the axes it names.
        let grid = axes.grid
        let gridOn: Bool
        if let grid {
            gridOn = grid.which != .minor && (grid.axis == .both || grid.axis.rawValue == letter)
        } else {
            gridOn = theme.gridOn
        }
        o["showgrid"] = .bool(gridOn)
        if gridOn {
            var color = grid?.color ?? theme.gridColor
            color = color.withAlpha(color.alpha * (grid?.alpha ?? theme.gridAlpha))
            o["gridcolor"] = .string(css(color))
            o["gridwidth"] = .number((grid?.lineWidth ?? theme.gridLineWidth) * px)
            let style = grid?.lineStyle ?? theme.gridLineStyle
            if style != .solid, style != .none { o["griddash"] = .string(dash(style)) }
        }
        if k > 1 && (isX ? figure.sharex : figure.sharey) { o["matches"] = .string(letter) }
        if !axes.axisOn { o["visible"] = false }
        return o
    }

    /// Plotly's `range` for matplotlib's view limits: log10 of the limits on a
    /// log axis (nil when a limit is not positive); reversed limits reverse the axis.
    func plotlyRange(_ l: ViewLimits, scale: Scale) -> [Double]? {
        guard l.lower.isFinite, l.upper.isFinite else { return nil }
        if scale == .log {
            guard l.lower > 0, l.upper > 0 else { return nil }
            return [log10(l.lower), log10(l.upper)]
        }
        return [l.lower, l.upper]
    }

    // MARK: Traces

    func lineTrace(_ m: LineMark) -> PlotObject {
        let color = withAlpha(m.color ?? .black, m.alpha)
        let t = polylineTrace(
            x: m.x, y: m.y, color: color, lineStyle: m.lineStyle, lineWidth: m.lineWidth, marker: m.marker,
            markerSize: m.markerSize, face: m.markerFaceColor.map { withAlpha($0, m.alpha) } ?? color,
            edge: (
                m.markerEdgeColor.map { withAlpha($0, m.alpha) } ?? color,
                m.markerEdgeWidth ?? theme.markerEdgeWidth
            ))
        return t.updating(hover(m.hoverTexts))
    }

    /// A `scatter` trace through (x, y): lines unless the style is none,
    /// markers unless the marker is none (with an edge when one is given).
    func polylineTrace(
        x: [Double], y: [Double], color: Color, lineStyle: LineStyle, lineWidth: Double?, marker: MarkerStyle,
        markerSize: Double?, face: Color, edge: (color: Color, width: Double)?
    ) -> PlotObject {
        let lines = lineStyle != .none
        let markers = marker != .none
        var t: PlotObject = [
            "x": .numbers(x), "y": .numbers(y), "mode": .string(mode(lines: lines, markers: markers)),
        ]
        if lines {
            t["line"] = [
                "color": .string(css(color)), "width": .number((lineWidth ?? theme.lineWidth) * px),
                "dash": .string(dash(lineStyle)),
            ]
        }
        if markers {
            var o: PlotObject = [
                "symbol": .string(symbol(marker)),
                "size": .number(markerDiameter(markerSize ?? theme.markerSize, marker)),
                "color": .string(css(face)),
            ]
            if let edge { o["line"] = ["color": .string(css(edge.color)), "width": .number(edge.width * px)] }
            t["marker"] = .object(o)
        }
        return t
    }

    func scatterTrace(_ m: ScatterMark) -> PlotObject {
        let faces = (m.colors ?? [theme.patchFaceColor]).map { withAlpha($0, m.alpha) }
        let sizes = (m.sizes ?? [theme.markerSize * theme.markerSize]).map { markerDiameter($0.squareRoot(), m.marker) }
        var line: PlotObject
        if let edges = m.edgeColors {
            if edges.isEmpty {
                line = ["width": 0]
            } else {
                line = ["color": colorValue(edges.map { withAlpha($0, m.alpha) })]
                line["width"] = numberValue((m.lineWidths ?? [theme.patchLineWidth]).map { $0 * px })
            }
        } else {
            // matplotlib's default edge color 'face'.
            line = ["color": colorValue(faces)]
            line["width"] = numberValue((m.lineWidths ?? [theme.patchLineWidth]).map { $0 * px })
        }
        let t: PlotObject = [
            "x": .numbers(m.x), "y": .numbers(m.y), "mode": "markers",
            "marker": [
                "symbol": .string(symbol(m.marker)), "size": numberValue(sizes), "color": colorValue(faces),
                "line": .object(line),
            ],
        ]
        return t.updating(hover(m.hoverTexts))
    }

    func barTrace(_ m: BarMark) -> PlotObject {
        let widths = m.widths.isEmpty ? [0.8] : m.widths
        let centres: [Double] = m.positions.indices.map { i in
            let w = widths[widths.count == 1 ? 0 : min(i, widths.count - 1)]
            return m.align == .center ? m.positions[i] : m.positions[i] + w / 2
        }
        let vertical = m.orientation == .vertical
        var t: PlotObject = [
            "x": .numbers(vertical ? centres : m.values), "y": .numbers(vertical ? m.values : centres),
            "orientation": .string(vertical ? "v" : "h"), "width": numberValue(widths),
        ]
        if !m.bottoms.isEmpty { t["base"] = numberValue(m.bottoms) }
        var marker: PlotObject = ["color": .string(css(withAlpha(m.color ?? theme.patchFaceColor, m.alpha)))]
        if let edge = m.edgeColor {
            marker["line"] = [
                "color": .string(css(withAlpha(edge, m.alpha))),
                "width": .number((m.lineWidth ?? theme.patchLineWidth) * px),
            ]
        } else {
            marker["line"] = ["width": 0]
        }
        t["marker"] = .object(marker)
        return t.updating(hover(m.hoverTexts))
    }

    func errorBarTrace(_ m: ErrorBarMark) -> PlotObject {
        let color = withAlpha(m.color ?? .black, m.alpha)
        var t = polylineTrace(
            x: m.x, y: m.y, color: color, lineStyle: m.lineStyle, lineWidth: m.lineWidth, marker: m.marker,
            markerSize: m.markerSize, face: color, edge: nil)
        let ecolor = withAlpha(m.ecolor ?? m.color ?? .black, m.alpha)
        func errors(_ lower: [Double]?, _ upper: [Double]?) -> PlotValue? {
            guard lower != nil || upper != nil else { return nil }
            return [
                "type": "data", "symmetric": false, "array": .numbers(upper ?? lower ?? []),
                "arrayminus": .numbers(lower ?? upper ?? []), "color": .string(css(ecolor)),
                "thickness": .number((m.elineWidth ?? m.lineWidth ?? theme.lineWidth) * px),
                "width": .number((m.capSize ?? 0) * px),
            ]
        }
        if let e = errors(m.xErrLower, m.xErrUpper) { t["error_x"] = e }
        if let e = errors(m.yErrLower, m.yErrUpper) { t["error_y"] = e }
        return t
    }

    /// A band as the closed outline of each run of finite points (lower
    /// edge forward, upper edge back), runs separated by a gap, which
    /// `fill: 'toself'` closes and fills one by one; a polygon as it is.
    func fillTrace(_ m: FillMark) -> PlotObject {
        var xs: [Double] = []
        var ys: [Double] = []
        if m.kind == .band {
            let n = min(m.x.count, m.y.count, m.y2.count)
            var run: [Int] = []
            func flush() {
                if run.count > 1 {
                    if !xs.isEmpty {
                        xs.append(.nan)
                        ys.append(.nan)
                    }
                    xs += run.map { m.x[$0] } + run.reversed().map { m.x[$0] }
                    ys += run.map { m.y[$0] } + run.reversed().map { m.y2[$0] }
                }
                run = []
            }
            for i in 0..<n {
                if m.x[i].isFinite && m.y[i].isFinite && m.y2[i].isFinite {
                    run.append(i)
                } else {
                    flush()
                }
            }
            flush()
        } else {
            xs = m.x
            ys = m.y
        }
        let face = withAlpha(m.color ?? theme.patchFaceColor, m.alpha)
        var line: PlotObject = ["width": 0]
        if let edge = m.edgeColor {
            line = [
                "color": .string(css(withAlpha(edge, m.alpha))),
                "width": .number((m.lineWidth ?? theme.patchLineWidth) * px),
            ]
        }
        return [
            "x": .numbers(xs), "y": .numbers(ys), "mode": "lines", "fill": "toself", "fillcolor": .string(css(face)),
            "line": .object(line),
        ]
    }

    // MARK: Shapes and annotations

    /// A shape spanning `data` along one axis (data coordinates; x for a
    /// vertical mark) and `domain` along the other (axes fraction).
    func dataByDomainShape(
        _ type: String, _ orientation: Orientation, data: (Double, Double), domain: (Double, Double), refs: Refs
    ) -> PlotObject {
        let vertical = orientation == .vertical
        let (x, y) = vertical ? (data, domain) : (domain, data)
        return [
            "type": .string(type), "xref": .string(vertical ? refs.x : refs.x + " domain"),
            "yref": .string(vertical ? refs.y + " domain" : refs.y), "x0": .number(x.0), "x1": .number(x.1),
            "y0": .number(y.0), "y1": .number(y.1),
        ]
    }

    func referenceLineShape(_ m: ReferenceLineMark, refs: Refs) -> PlotObject {
        var s = dataByDomainShape(
            "line", m.orientation, data: (m.value, m.value), domain: (m.from, m.to), refs: refs)
        s["line"] = [
            "color": .string(css(withAlpha(m.color ?? .black, m.alpha))),
            "width": .number((m.lineWidth ?? theme.lineWidth) * px), "dash": .string(dash(m.lineStyle)),
        ]
        return s
    }

    func spanShape(_ m: SpanMark, refs: Refs) -> PlotObject {
        var s = dataByDomainShape(
            "rect", m.orientation, data: (m.lower, m.upper), domain: (m.from, m.to), refs: refs)
        s["layer"] = "below"
        s["fillcolor"] = .string(css(withAlpha(m.color ?? theme.patchFaceColor, m.alpha)))
        if let edge = m.edgeColor {
            s["line"] = ["color": .string(css(withAlpha(edge, m.alpha))), "width": .number(theme.patchLineWidth * px)]
        } else {
            s["line"] = ["width": 0]
        }
        return s
    }

    func textAnnotation(_ m: TextMark, refs: Refs, logX: Bool, logY: Bool) -> PlotObject {
        let yCoordinates = m.yCoordinates ?? m.coordinates
        var a: PlotObject = [
            "text": .string(plotlyText(m.text, bold: m.bold)),
            "xref": .string(m.coordinates == .data ? refs.x : refs.x + " domain"),
            "yref": .string(yCoordinates == .data ? refs.y : refs.y + " domain"),
            "x": .number(annotationPosition(m.x, data: m.coordinates == .data, log: logX)),
            "y": .number(annotationPosition(m.y, data: yCoordinates == .data, log: logY)),
            "xanchor": .string(xAnchor(m.horizontalAlignment)), "yanchor": .string(yAnchor(m.verticalAlignment)),
            "font": [
                "size": .number((m.fontSize ?? theme.fontSize) * px),
                "color": .string(css(withAlpha(m.color ?? theme.textColor, m.alpha))),
            ],
        ]
        if let arrow = m.arrow {
            a["showarrow"] = true
            a["arrowhead"] = 0
            a["arrowcolor"] = .string(css(arrow.color))
            a["arrowwidth"] = .number(arrow.lineWidth * px)
            a["ax"] = .number((m.offsetX ?? 0) * px)
            a["ay"] = .number(-(m.offsetY ?? 0) * px)
        } else {
            a["showarrow"] = false
            if let dx = m.offsetX, dx != 0 { a["xshift"] = .number(dx * px) }
            if let dy = m.offsetY, dy != 0 { a["yshift"] = .number(dy * px) }
        }
        if m.rotation != 0 { a["textangle"] = .number(-m.rotation) }
        if let box = m.box {
            let boxAlpha = box.alpha ?? 1
            a["bgcolor"] = .string(css(box.faceColor.withAlpha(box.faceColor.alpha * boxAlpha)))
            if let edge = box.edgeColor {
                a["bordercolor"] = .string(css(edge.withAlpha(edge.alpha * boxAlpha)))
                a["borderwidth"] = .number(theme.patchLineWidth * px)
            }
            a["borderpad"] = .number(box.pad * (m.fontSize ?? theme.fontSize) * px)
        }
        return a
    }

    func annotationAnnotation(_ m: AnnotationMark, refs: Refs, logX: Bool, logY: Bool) -> PlotObject {
        var a: PlotObject = [
            "text": .string(plotlyText(m.text)), "showarrow": false,
            "xref": .string(refs.x), "yref": .string(refs.y),
            "x": .number(annotationPosition(m.x, data: true, log: logX)),
            "y": .number(annotationPosition(m.y, data: true, log: logY)),
            "xanchor": .string(xAnchor(m.horizontalAlignment)), "yanchor": .string(yAnchor(m.verticalAlignment)),
            "font": [
                "size": .number((m.fontSize ?? theme.fontSize) * px),
                "color": .string(css(withAlpha(m.color ?? theme.textColor, m.alpha))),
            ],
        ]
        if m.offsetX != 0 { a["xshift"] = .number(m.offsetX * px) }
        if m.offsetY != 0 { a["yshift"] = .number(m.offsetY * px) }
        return a
    }

    /// Plotly reads an annotation's data position on a log axis as log10.
    func annotationPosition(_ v: Double, data: Bool, log: Bool) -> Double {
        data && log ? (v > 0 ? log10(v) : .nan) : v
    }

    // MARK: Legends

    /// The plotly legend of axes `i`'s legend: `legend` for the first
    /// legend of the figure, then `legend2`, … (axes legends in axes order,
    /// then figure legends); nil when the axes has none.
    func axesLegendID(_ i: Int) -> String? {
        guard figure.axes[i].legend != nil else { return nil }
        let n = figure.axes[..<i].filter { $0.legend != nil }.count
        return n == 0 ? "legend" : "legend\(n + 1)"
    }

    func figureLegendID(_ j: Int) -> String {
        let n = figure.axes.filter { $0.legend != nil }.count + j
        return n == 0 ? "legend" : "legend\(n + 1)"
    }

    /// For each axes, the legend each label's marks are listed in: the axes'
    /// own legend for the labels `ax.legend()` shows, else the first figure
    /// legend with an entry of that label.
    func legendAssignments() -> [[String: String]] {
        figure.axes.indices.map { i in
            var out: [String: String] = [:]
            for (j, l) in figure.legends.enumerated().reversed() {
                for e in l.entries ?? [] { out[e.label] = figureLegendID(j) }
            }
            if let id = axesLegendID(i) {
                for e in figure.axes[i].legendEntries { out[e.label] = id }
            }
            return out
        }
    }

    /// A legend's plotly object: at its drawn frame's top-left corner when laid
    /// out, else at its location code inside `domain`.
    func legendObject(_ l: Legend, frame: Box?, domain: ([Double], [Double])) -> PlotObject {
        var o: PlotObject = ["xref": "paper", "yref": "paper"]
        if let frame {
            o["x"] = .number(min(1, max(0, frame.x / widthPoints)))
            o["y"] = .number(min(1, max(0, frame.maxY / heightPoints)))
            o["xanchor"] = "left"
            o["yanchor"] = "top"
        } else {
            let (xd, yd) = domain
            let loc = l.loc == 0 ? 1 : l.loc
            let (h, v): (Int, Int) =
                switch loc {
                case 1: (2, 2)
                case 2: (0, 2)
                case 3: (0, 0)
                case 4: (2, 0)
                case 5, 7: (2, 1)
                case 6: (0, 1)
                case 8: (1, 0)
                case 9: (1, 2)
                default: (1, 1)
                }
            o["x"] = .number(xd[0] + (xd[1] - xd[0]) * Double(h) / 2)
            o["y"] = .number(yd[0] + (yd[1] - yd[0]) * Double(v) / 2)
            o["xanchor"] = .string(["left", "center", "right"][h])
            o["yanchor"] = .string(["bottom", "middle", "top"][v])
        }
        let alpha = l.frameAlpha ?? theme.legendFrameAlpha
        let frameOn = l.frameOn && theme.legendFrameOn
        if frameOn {
            let face = l.faceColor ?? theme.legendFaceColor
            o["bgcolor"] = .string(css(face.withAlpha(face.alpha * alpha)))
            let edge = l.edgeColor ?? theme.legendEdgeColor
            o["bordercolor"] = .string(css(edge.withAlpha(edge.alpha * alpha)))
            o["borderwidth"] = .number(1)
        } else {
            o["bgcolor"] = "rgba(0,0,0,0)"
            o["borderwidth"] = .number(0)
        }
        o["font"] = ["size": .number((l.fontSize ?? theme.legendFontSize) * px)]
        if let title = l.title, !title.isEmpty { o["title"] = ["text": .string(plotlyText(title))] }
        if l.ncol > 1 { o["orientation"] = "h" }
        return o
    }

    // MARK: Figure

    func globalLayout(showLegend: Bool) -> PlotObject {
        var o: PlotObject = [
            "width": .number((figure.widthInches * figure.dpi).rounded()),
            "height": .number((figure.heightInches * figure.dpi).rounded()),
            "autosize": false, "margin": ["l": 0, "r": 0, "t": 0, "b": 0, "pad": 0],
            "paper_bgcolor": .string(css(theme.figureFaceColor)), "plot_bgcolor": .string(css(theme.axesFaceColor)),
            "font": [
                "family": .string(theme.fontFamily), "size": .number(theme.fontSize * px),
                "color": .string(css(theme.textColor)),
            ],
            "barmode": "overlay", "hovermode": "closest", "showlegend": .bool(showLegend),
        ]
        if let s = figure.suptitle, !s.isEmpty {
            o["title"] = [
                "text": .string(plotlyText(s)), "x": 0.5, "xanchor": "center", "xref": "paper", "y": 0.98,
                "yanchor": "top", "yref": "container",
                "font": [
                    "size": .number((figure.suptitleFontSize ?? theme.figureTitleSize) * px),
                    "color": .string(css(theme.textColor)),
                ],
            ]
        }
        return o
    }

    // MARK: Values

    func hover(_ texts: [String]?) -> PlotObject {
        guard let texts else { return [:] }
        return ["hovertext": .strings(texts), "hoverinfo": "text"]
    }

    func mode(lines: Bool, markers: Bool) -> String {
        switch (lines, markers) {
        case (true, true): "lines+markers"
        case (true, false): "lines"
        case (false, true): "markers"
        case (false, false): "none"
        }
    }

    /// A marker's diameter in px from matplotlib's marker size in points
    /// (the point marker '.' is half an 'o').
    func markerDiameter(_ points: Double, _ marker: MarkerStyle) -> Double {
        (marker == .point ? points / 2 : points) * px
    }

    func withAlpha(_ c: Color, _ alpha: Double?) -> Color { alpha.map { c.withAlpha($0) } ?? c }

    /// One value for one element, else an array.
    func numberValue(_ values: [Double]) -> PlotValue {
        values.count == 1 ? .number(values[0]) : .numbers(values)
    }

    func colorValue(_ colors: [Color]) -> PlotValue {
        colors.count == 1 ? .string(css(colors[0])) : .strings(colors.map(css))
    }
}

/// Plotly's spellings of matplotlib's vocabulary.
extension FigureConverter {
    /// '#rrggbb', or 'rgba(r,g,b,a)' for a translucent color.
    func css(_ c: Color) -> String {
        let hex = c.hexRGBA
        if hex.hasSuffix("ff") { return String(hex.prefix(7)) }
        func byte(_ v: Double) -> Int { Int((max(0, min(1, v)) * 255).rounded(.toNearestOrEven)) }
        let a = (max(0, min(1, c.alpha)) * 1000).rounded() / 1000
        return "rgba(\(byte(c.red)),\(byte(c.green)),\(byte(c.blue)),\(a))"
    }

    func dash(_ s: LineStyle) -> String {
        switch s {
        case .solid, .none: "solid"
        case .dashed: "dash"
        case .dotted: "dot"
        case .dashDot: "dashdot"
        }
    }

    func symbol(_ m: MarkerStyle) -> String {
        switch m {
        case .none, .point, .circle: "circle"
        case .square: "square"
        case .triangleUp: "triangle-up"
        case .triangleDown: "triangle-down"
        case .triangleLeft: "triangle-left"
        case .triangleRight: "triangle-right"
        case .diamond: "diamond"
        case .thinDiamond: "diamond-tall"
        case .pentagon: "pentagon"
        case .hexagon: "hexagon"
        case .star: "star"
        case .plus: "cross-thin-open"
        case .x: "x-thin-open"
        case .plusFilled: "cross"
        case .xFilled: "x"
        case .vline: "line-ns-open"
        case .hline: "line-ew-open"
        }
    }

    func xAnchor(_ a: HorizontalAlignment) -> String {
        switch a {
        case .left: "left"
        case .center: "center"
        case .right: "right"
        }
    }

    func yAnchor(_ a: VerticalAlignment) -> String {
        switch a {
        case .top: "top"
        case .center, .centerBaseline: "middle"
        case .bottom, .baseline: "bottom"
        }
    }

    /// Text as plotly's pseudo-HTML reads it: `&`, `<`, `>` as entities,
    /// newlines as `<br>`, bold as `<b>…</b>`.
    func plotlyText(_ s: String, bold: Bool = false) -> String {
        var t = s.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\n", with: "<br>")
        if bold { t = "<b>" + t + "</b>" }
        return t
    }
}

extension InteractiveFigure {
    /// Adds a trace on the subplot of `refs`.
    fileprivate mutating func addTrace(_ props: PlotObject, type: String = "scatter", row refs: FigureConverter.Refs) {
        var t = props
        t["xaxis"] = .string(refs.x)
        t["yaxis"] = .string(refs.y)
        addTrace(t, type: type)
    }
}
