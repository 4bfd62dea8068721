import CCairo
import FigureModel
import Foundation

/// Stroke style of a line or edge.
struct StrokeStyle {
    var color: Color
    var width: Double
    var dash: LineStyle = .solid
    var cap: CapStyle = .butt
    /// Round joins (lines) or miter joins (patches).
    var roundJoin: Bool = true
}

/// How Agg draws a marker (see `Painter.drawMarker`).
enum MarkerDrawing {
    /// A line's markers (`draw_markers`, snapped by the marker's threshold).
    case line
    /// A collection of one size, colour and width (`draw_markers`, snapped
    /// if the path has only horizontal and vertical segments).
    case collectionMarkers
    /// Any other collection (`draw_path_collection`: each path where it lands).
    case paths
}

/// Draws a laid-out figure onto a cairo context, in figure points.
struct Painter {
    let cr: OpaquePointer
    let canvas: Canvas
    let theme: Theme
    /// The pixel grid the layout's text was measured on (`FigureLayout.textDPI`).
    let textDPI: Double

    // MARK: Figure

    mutating func drawFigure(_ layout: FigureLayout) {
        let fig = layout.figure
        // Figure patch.
        setColor(theme.figureFaceColor)
        cairo_paint(cr)
        for patch in fig.patches ?? [] where patch.rect.count == 4 {
            let r = patch.rect
            let w = layout.width
            let h = layout.height
            roundedRect(Box(x: r[0] * w, y: r[1] * h, width: r[2] * w, height: r[3] * h), radius: patch.radius)
            fillAndStroke(face: patch.faceColor, edge: patch.edgeColor, width: patch.lineWidth)
        }
        for (i, a) in layout.axes.enumerated() where i < fig.axes.count {
            drawAxes(fig.axes[i], a)
        }
        if let s = layout.suptitle { drawText(s) }
        for l in layout.legends { drawLegend(l) }
    }

    private enum Item {
        case axis
        case spines
        case mark(Int)
        /// The data line and markers of the errorbar mark `i`.
        case errorBarLine(Int)
        case title
        case legend
    }

    mutating func drawAxes(_ ax: Axes, _ a: AxesLayout) {
        let t = theme
        // Axes patch.
        if ax.axisOn {
            setColor(t.axesFaceColor)
            snappedRect(a.box, edge: nil, width: 0)
            cairo_fill(cr)
        }
        // Everything sorted by zorder, stably in matplotlib's child order:
        // marks, spines, axes, title, legend.
        var items: [(z: Double, item: Item)] = []
        for (i, m) in ax.marks.enumerated() {
            items.append((Self.zorder(m), .mark(i)))
            // errorbar: the bars and caps at the zorder (2), the data line above them and
            // above plain lines at zorder + 0.1 (matplotlib's barsabove=False).
            if case .errorBar = m { items.append((Self.zorder(m) + 0.1, .errorBarLine(i))) }
        }
        if ax.axisOn {
            items.append((2.5, .spines))
            items.append((t.axisBelow ? 0.5 : 1.5, .axis))
        }
        items.append((3, .title))
        if a.legend != nil { items.append((5, .legend)) }
        let sorted = items.enumerated().sorted { l, r in
            l.element.z != r.element.z ? l.element.z < r.element.z : l.offset < r.offset
        }.map(\.element.item)
        for item in sorted {
            switch item {
            case .axis: drawAxis(ax, a)
            case .spines: drawSpines(a)
            case .mark(let i): drawMark(ax.marks[i], a)
            case .errorBarLine(let i): if case .errorBar(let e) = ax.marks[i] { drawErrorBarLine(e, a) }
            case .title: if let title = a.title { drawText(title) }
            case .legend: if let l = a.legend { drawLegend(l) }
            }
        }
    }

    static func zorder(_ m: Mark) -> Double {
        switch m {
        case .line(let l): return l.zorder ?? 2
        case .scatter(let s): return s.zorder ?? 1
        case .bars(let b): return b.zorder ?? 1
        case .errorBar(let e): return e.zorder ?? 2
        case .fill(let f): return f.zorder ?? 1
        case .referenceLine(let r): return r.zorder ?? 2
        case .span(let s): return s.zorder ?? 1
        case .text(let t): return t.zorder ?? 3
        case .annotation(let a): return a.zorder ?? 3
        }
    }

    // MARK: Axis decorations

    mutating func drawSpines(_ a: AxesLayout) {
        guard theme.spinesVisible, theme.axesLineWidth > 0 else { return }
        let b = a.box
        let s = StrokeStyle(color: theme.axesEdgeColor, width: theme.axesLineWidth, cap: .projecting, roundJoin: false)
        // Four separate spines, as matplotlib draws them (or only the axis lines, left and bottom).
        polyline([(b.x, b.y), (b.x, b.maxY)], s)
        if theme.spinesTopRight != false { polyline([(b.maxX, b.y), (b.maxX, b.maxY)], s) }
        polyline([(b.x, b.y), (b.maxX, b.y)], s)
        if theme.spinesTopRight != false { polyline([(b.x, b.maxY), (b.maxX, b.maxY)], s) }
    }

    mutating func drawAxis(_ ax: Axes, _ a: AxesLayout) {
        let t = theme
        let b = a.box
        let xm = a.xMap
        let ym = a.yMap
        func visible(_ p: Double, _ lo: Double, _ len: Double) -> Bool {
            p.isFinite && p >= lo - 1e-6 * len && p <= lo + len + 1e-6 * len
        }
        // Grid: ax.grid(...) or rcParams axes.grid (major, both axes).
        var grid = ax.grid
        if grid == nil && t.gridOn { grid = Grid() }
        if let g = grid {
            let style = StrokeStyle(
                color: (g.color ?? t.gridColor).withAlpha((g.alpha ?? t.gridAlpha) * (g.color ?? t.gridColor).alpha),
                width: g.lineWidth ?? t.gridLineWidth, dash: g.lineStyle ?? t.gridLineStyle, cap: .projecting)
            let minorStyle: StrokeStyle = {
                var s = style
                if g.lineWidth == nil { s.width = t.gridLineWidth }
                return s
            }()
            cairo_save(cr)
            clip(b)
            func ticks(_ r: ResolvedAxis) -> [(Double, Bool)] {
                var out: [(Double, Bool)] = []
                if g.which != .minor { out += r.major.map { ($0.value, true) } }
                if g.which != .major { out += r.minor.map { ($0.value, false) } }
                return out
            }
            if g.axis != .y {
                for (v, major) in ticks(a.x) {
                    let x = xm.position(v)
                    if visible(x, b.x, b.width) { polyline([(x, b.y), (x, b.maxY)], major ? style : minorStyle) }
                }
            }
            if g.axis != .x {
                for (v, major) in ticks(a.y) {
                    let y = ym.position(v)
                    if visible(y, b.y, b.height) { polyline([(b.x, y), (b.maxX, y)], major ? style : minorStyle) }
                }
            }
            cairo_restore(cr)
        }
        // Ticks, pointing out.
        let majorStyle = StrokeStyle(color: t.tickColor, width: t.majorTickWidth, cap: .butt)
        let minorStyle = StrokeStyle(color: t.tickColor, width: t.minorTickWidth, cap: .butt)
        for (ticks, size, style) in [
            (a.x.major, t.majorTickSize, majorStyle), (a.x.minor, t.minorTickSize, minorStyle),
        ]
        where size > 0 {
            for tick in ticks {
                let x = xm.position(tick.value)
                if visible(x, b.x, b.width) { polyline([(x, b.y), (x, b.y - size)], style) }
            }
        }
        for (ticks, size, style) in [
            (a.y.major, t.majorTickSize, majorStyle), (a.y.minor, t.minorTickSize, minorStyle),
        ]
        where size > 0 {
            for tick in ticks {
                let y = ym.position(tick.value)
                if visible(y, b.y, b.height) { polyline([(b.x, y), (b.x - size, y)], style) }
            }
        }
        for l in a.xTickLabels + a.yTickLabels { if let l { drawText(l) } }
        for l in [a.xOffsetText, a.yOffsetText, a.xLabel, a.yLabel] { if let l { drawText(l) } }
    }

    // MARK: Marks

    func color(_ c: Color?, alpha: Double?, default d: Color) -> Color {
        let base = c ?? d
        if let alpha { return base.withAlpha(alpha) }
        return base
    }

    /// An errorbar's data line and markers (drawn after the bars: see `drawAxes`).
    mutating func drawErrorBarLine(_ e: ErrorBarMark, _ a: AxesLayout) {
        let t = theme
        let c = color(e.color, alpha: e.alpha, default: t.colorCycle.first ?? .black)
        let pts = zip(e.x, e.y).map { (a.xMap.position($0), a.yMap.position($1)) }
        if e.lineStyle != .none {
            drawSegments(
                pts, StrokeStyle(color: c, width: e.lineWidth ?? t.lineWidth, dash: e.lineStyle, cap: t.solidCapStyle))
        }
        if e.marker != .none {
            for p in pts where p.0.isFinite && p.1.isFinite {
                drawMarker(
                    e.marker, at: p, size: e.markerSize ?? t.markerSize, face: c, edge: c,
                    edgeWidth: t.markerEdgeWidth)
            }
        }
    }

    /// Draws a data mark clipped to its axes (text marks: `drawTextMark`).
    mutating func drawMark(_ mark: Mark, _ a: AxesLayout) {
        switch mark {
        case .text, .annotation:
            drawTextMark(mark, a)
            return
        default: break
        }
        cairo_save(cr)
        defer { cairo_restore(cr) }
        clip(a.box)
        switch mark {
        case .line(let l): drawLine(l, a)
        case .scatter(let s): drawScatter(s, a)
        case .bars(let bm): drawBars(bm, a)
        case .errorBar(let e): drawErrorBars(e, a)
        case .fill(let f): drawFill(f, a)
        case .referenceLine(let r): drawReferenceLine(r, a)
        case .span(let s): drawSpan(s, a)
        case .text, .annotation:
            break
        }
    }

    /// A data point's position on the surface.
    func pt(_ x: Double, _ y: Double, _ a: AxesLayout) -> (Double, Double) { (a.xMap.position(x), a.yMap.position(y)) }

    mutating func drawLine(_ l: LineMark, _ a: AxesLayout) {
        let t = theme
        let c = color(l.color, alpha: l.alpha, default: t.colorCycle.first ?? .black)
        let lw = l.lineWidth ?? t.lineWidth
        let pts = zip(l.x, l.y).map { pt($0, $1, a) }
        if l.lineStyle != .none {
            let cap = l.lineStyle == .solid ? t.solidCapStyle : t.dashCapStyle
            drawSegments(pts, StrokeStyle(color: c, width: lw, dash: l.lineStyle, cap: cap))
        }
        if l.marker != .none {
            let face = l.markerFaceColor.map { l.alpha.map($0.withAlpha) ?? $0 } ?? c
            let edge = l.markerEdgeColor.map { l.alpha.map($0.withAlpha) ?? $0 } ?? c
            for p in pts where p.0.isFinite && p.1.isFinite {
                drawMarker(
                    l.marker, at: p, size: l.markerSize ?? t.markerSize, face: face, edge: edge,
                    edgeWidth: l.markerEdgeWidth ?? t.markerEdgeWidth)
            }
        }
    }

    mutating func drawScatter(_ s: ScatterMark, _ a: AxesLayout) {
        let t = theme
        let n = min(s.x.count, s.y.count)
        let defaultColor = t.colorCycle.first ?? .black
        // matplotlib draws a collection of one size, face colour, edge colour
        // and width as markers (Collection.draw's single-path optimization),
        // any other path by path; edges of 'none' are no edge colour at all.
        let uniform =
            [s.sizes?.count, s.colors?.count, s.lineWidths?.count].allSatisfy { ($0 ?? 0) <= 1 }
            && (s.edgeColors.map { $0.count == 1 } ?? true)
        for i in 0..<n {
            let p = pt(s.x[i], s.y[i], a)
            guard p.0.isFinite, p.1.isFinite else { continue }
            let area =
                s.sizes.map { $0.isEmpty ? t.markerSize * t.markerSize : $0[$0.count == 1 ? 0 : i] }
                ?? t.markerSize * t.markerSize
            let faceBase = s.colors.map { $0.isEmpty ? defaultColor : $0[$0.count == 1 ? 0 : i] } ?? defaultColor
            let face = s.alpha.map { faceBase.withAlpha($0) } ?? faceBase
            var edge = face
            if let e = s.edgeColors {
                edge =
                    e.isEmpty
                    ? .none : (s.alpha.map { e[e.count == 1 ? 0 : i].withAlpha($0) } ?? e[e.count == 1 ? 0 : i])
            }
            let lw =
                s.lineWidths.map { $0.isEmpty ? t.patchLineWidth : $0[$0.count == 1 ? 0 : i] } ?? t.patchLineWidth
            drawMarker(
                s.marker, at: p, size: area.squareRoot(), face: face, edge: edge, edgeWidth: lw,
                as: uniform ? .collectionMarkers : .paths)
        }
    }

    mutating func drawBars(_ bm: BarMark, _ a: AxesLayout) {
        let t = theme
        let face = color(bm.color, alpha: bm.alpha, default: t.colorCycle.first ?? t.patchFaceColor)
        let edge = bm.edgeColor.map { bm.alpha.map($0.withAlpha) ?? $0 }
        for r in BarGeometry.rectangles(bm) {
            let p0 = pt(r.x, r.y, a)
            let p1 = pt(r.x + r.width, r.y + r.height, a)
            guard p0.0.isFinite, p0.1.isFinite, p1.0.isFinite, p1.1.isFinite else { continue }
            let edgeWidth = (edge?.alpha ?? 0) > 0 ? (bm.lineWidth ?? t.patchLineWidth) : 0
            polygon(snap([p0, (p1.0, p0.1), p1, (p0.0, p1.1)], lineWidth: edgeWidth))
            fillAndStroke(face: face, edge: edge, width: bm.lineWidth ?? t.patchLineWidth)
        }
    }

    /// An errorbar's error segments and caps (its data line: `drawErrorBarLine`).
    mutating func drawErrorBars(_ e: ErrorBarMark, _ a: AxesLayout) {
        let t = theme
        let c = color(e.color, alpha: e.alpha, default: t.colorCycle.first ?? .black)
        let ec = e.ecolor.map { e.alpha.map($0.withAlpha) ?? $0 } ?? c
        let lw = e.lineWidth ?? t.lineWidth
        let elw = e.elineWidth ?? lw
        let cap = e.capSize ?? 0
        let style = StrokeStyle(color: ec, width: elw, cap: .butt)
        // Caps are '_'/'|' markers 2 × capsize long, drawn with the marker edge width.
        let capStyle = StrokeStyle(color: ec, width: t.markerEdgeWidth, cap: .butt)
        for i in 0..<min(e.x.count, e.y.count) {
            if let lo = e.yErrLower, let hi = e.yErrUpper, i < lo.count, i < hi.count {
                let a0 = pt(e.x[i], e.y[i] - lo[i], a)
                let a1 = pt(e.x[i], e.y[i] + hi[i], a)
                polyline([a0, a1], style)
                if cap > 0 {
                    for p in [a0, a1] { polyline([(p.0 - cap, p.1), (p.0 + cap, p.1)], capStyle) }
                }
            }
            if let lo = e.xErrLower, let hi = e.xErrUpper, i < lo.count, i < hi.count {
                let a0 = pt(e.x[i] - lo[i], e.y[i], a)
                let a1 = pt(e.x[i] + hi[i], e.y[i], a)
                polyline([a0, a1], style)
                if cap > 0 {
                    for p in [a0, a1] { polyline([(p.0, p.1 - cap), (p.0, p.1 + cap)], capStyle) }
                }
            }
        }
    }

    mutating func drawFill(_ f: FillMark, _ a: AxesLayout) {
        let t = theme
        let face = color(f.color, alpha: f.alpha, default: t.colorCycle.first ?? .black)
        var pts = zip(f.x, f.y).map { pt($0, $1, a) }
        if f.kind == .band { pts += zip(f.x, f.y2).reversed().map { pt($0, $1, a) } }
        let finite = pts.filter { $0.0.isFinite && $0.1.isFinite }
        guard finite.count > 2 else { return }
        polygon(finite)
        fillAndStroke(face: face, edge: Self.fillEdge(f), width: f.lineWidth ?? t.patchLineWidth)
    }

    mutating func drawReferenceLine(_ r: ReferenceLineMark, _ a: AxesLayout) {
        let t = theme
        let (xm, ym) = (a.xMap, a.yMap)
        let c = color(r.color, alpha: r.alpha, default: t.colorCycle.first ?? .black)
        let cap = r.lineStyle == .solid ? t.solidCapStyle : t.dashCapStyle
        let style = StrokeStyle(color: c, width: r.lineWidth ?? t.lineWidth, dash: r.lineStyle, cap: cap)
        if r.orientation == .vertical {
            let x = xm.position(r.value)
            polyline([(x, ym.fraction(r.from)), (x, ym.fraction(r.to))], style)
        } else {
            let y = ym.position(r.value)
            polyline([(xm.fraction(r.from), y), (xm.fraction(r.to), y)], style)
        }
    }

    mutating func drawSpan(_ s: SpanMark, _ a: AxesLayout) {
        let t = theme
        let (xm, ym) = (a.xMap, a.yMap)
        let face = color(s.color, alpha: s.alpha, default: t.colorCycle.first ?? t.patchFaceColor)
        let b: Box
        if s.orientation == .vertical {
            let x0 = xm.position(s.lower)
            let x1 = xm.position(s.upper)
            b = Box(
                x: min(x0, x1), y: ym.fraction(s.from), width: abs(x1 - x0),
                height: ym.fraction(s.to) - ym.fraction(s.from))
        } else {
            let y0 = ym.position(s.lower)
            let y1 = ym.position(s.upper)
            b = Box(
                x: xm.fraction(s.from), y: min(y0, y1), width: xm.fraction(s.to) - xm.fraction(s.from),
                height: abs(y1 - y0))
        }
        polygon(snap(corners(b), lineWidth: Self.spanEdge(s) == nil ? 0 : t.patchLineWidth))
        fillAndStroke(face: face, edge: Self.spanEdge(s), width: t.patchLineWidth)
    }

    /// `axvspan(color=c)` sets the edge color too (Patch's `color=`); an
    /// explicit `edgeColor` wins.
    static func spanEdge(_ s: SpanMark) -> Color? {
        if let e = s.edgeColor { return s.alpha.map(e.withAlpha) ?? e }
        return s.color.map { s.alpha.map($0.withAlpha) ?? $0 }
    }

    /// `fill_between(color=c)` sets the collection's edge color too.
    static func fillEdge(_ f: FillMark) -> Color? {
        if let e = f.edgeColor { return f.alpha.map(e.withAlpha) ?? e }
        return f.color.map { f.alpha.map($0.withAlpha) ?? $0 }
    }

    mutating func drawTextMark(_ mark: Mark, _ a: AxesLayout) {
        guard let p = a.placedText(mark, theme: theme, measurer: CairoBackend.measurer(dpi: textDPI)) else { return }
        var placed = p
        switch mark {
        case .text(let tm):
            if let alpha = tm.alpha { placed.color = placed.color.withAlpha(alpha) }
            if let box = tm.box {
                let face = box.alpha.map { box.faceColor.withAlpha($0) } ?? box.faceColor
                let edgeBase = box.edgeColor ?? .black
                let edge = box.alpha.map { edgeBase.withAlpha($0) } ?? edgeBase
                let b = placed.box
                if box.rounded {
                    roundedRect(b, radius: box.pad * placed.fontSize)
                } else {
                    snappedRect(b, edge: edge, width: theme.patchLineWidth)
                }
                fillAndStroke(face: face, edge: edge, width: theme.patchLineWidth)
            }
            if let arrow = tm.arrow, let head = a.anchor(of: tm),
                let tail = Self.arrowTail(from: head, to: placed.box)
            {
                polyline([head, tail], StrokeStyle(color: arrow.color, width: arrow.lineWidth, cap: .butt))
            }
        case .annotation(let an):
            if let alpha = an.alpha { placed.color = placed.color.withAlpha(alpha) }
        default: break
        }
        drawText(placed)
    }

    /// Where a line from `head` towards the centre of `box` meets the box's
    /// edge (nil when `head` lies inside the box).
    static func arrowTail(from head: (Double, Double), to box: Box) -> (Double, Double)? {
        let cx = box.x + box.width / 2
        let cy = box.y + box.height / 2
        let dx = head.0 - cx
        let dy = head.1 - cy
        let sx = dx == 0 ? Double.infinity : (box.width / 2) / abs(dx)
        let sy = dy == 0 ? Double.infinity : (box.height / 2) / abs(dy)
        let s = min(sx, sy)
        guard s < 1 else { return nil }
        return (cx + dx * s, cy + dy * s)
    }

    // MARK: Legend

    mutating func drawLegend(_ l: LegendLayout) {
        if l.frameOn {
            // framealpha applies to opaque colors; a transparent edge ('none') stays invisible.
            let face = l.faceColor.withAlpha(l.faceColor.alpha * l.frameAlpha)
            let edge = l.edgeColor.withAlpha(l.edgeColor.alpha * l.frameAlpha)
            if l.fancyBox {
                roundedRect(l.frame, radius: 0.2 * l.fontSize)
            } else {
                snappedRect(l.frame, edge: edge, width: theme.patchLineWidth)
            }
            fillAndStroke(face: face, edge: edge, width: theme.patchLineWidth)
        }
        if let t = l.title { drawText(t) }
        for e in l.entries {
            drawHandle(e.handle, in: e.handleBox, fontSize: l.fontSize)
            drawText(e.label)
        }
    }

    mutating func drawHandle(_ mark: Mark, in b: Box, fontSize: Double) {
        let t = theme
        let midY = b.y + b.height / 2
        switch mark {
        case .line(let l):
            let c = color(l.color, alpha: l.alpha, default: t.colorCycle.first ?? .black)
            if l.lineStyle != .none {
                let cap = l.lineStyle == .solid ? t.solidCapStyle : t.dashCapStyle
                polyline(
                    [(b.x, midY), (b.maxX, midY)],
                    StrokeStyle(color: c, width: l.lineWidth ?? t.lineWidth, dash: l.lineStyle, cap: cap))
            }
            if l.marker != .none {
                drawMarker(
                    l.marker, at: (b.x + b.width / 2, midY), size: l.markerSize ?? t.markerSize,
                    face: l.markerFaceColor ?? c, edge: l.markerEdgeColor ?? c,
                    edgeWidth: l.markerEdgeWidth ?? t.markerEdgeWidth)
            }
        case .referenceLine(let r):
            let c = color(r.color, alpha: r.alpha, default: t.colorCycle.first ?? .black)
            let cap = r.lineStyle == .solid ? t.solidCapStyle : t.dashCapStyle
            polyline(
                [(b.x, midY), (b.maxX, midY)],
                StrokeStyle(color: c, width: r.lineWidth ?? t.lineWidth, dash: r.lineStyle, cap: cap))
        case .errorBar(let e):
            let c = color(e.color, alpha: e.alpha, default: t.colorCycle.first ?? .black)
            let lw = e.lineWidth ?? t.lineWidth
            if e.lineStyle != .none {
                polyline([(b.x, midY), (b.maxX, midY)], StrokeStyle(color: c, width: lw, cap: t.solidCapStyle))
            }
            let ec = e.ecolor ?? c
            let cx = b.x + b.width / 2
            // HandlerErrorbar: bars of ±0.5 font sizes around the handle's centre.
            let err = 0.5 * fontSize
            let cap = e.capSize ?? 0
            let capStyle = StrokeStyle(color: ec, width: t.markerEdgeWidth, cap: .butt)
            if e.yErrLower != nil {
                polyline([(cx, midY - err), (cx, midY + err)], StrokeStyle(color: ec, width: e.elineWidth ?? lw))
                if cap > 0 {
                    for y in [midY - err, midY + err] { polyline([(cx - cap, y), (cx + cap, y)], capStyle) }
                }
            }
            if e.xErrLower != nil {
                let x0 = b.x + b.width / 2 - err
                let x1 = b.x + b.width / 2 + err
                polyline([(x0, midY), (x1, midY)], StrokeStyle(color: ec, width: e.elineWidth ?? lw))
            }
            if e.marker != .none {
                drawMarker(
                    e.marker, at: (cx, midY), size: e.markerSize ?? t.markerSize, face: c, edge: c,
                    edgeWidth: t.markerEdgeWidth)
            }
        case .scatter(let s):
            let defaultColor = t.colorCycle.first ?? .black
            let faceBase = s.colors.flatMap { $0.first } ?? defaultColor
            let face = s.alpha.map { faceBase.withAlpha($0) } ?? faceBase
            var edge = face
            if let e = s.edgeColors { edge = e.first.map { s.alpha.map($0.withAlpha) ?? $0 } ?? .none }
            // HandlerPathCollection with one point: the mean of the largest and smallest size.
            let sizes = s.sizes ?? []
            let area = sizes.isEmpty ? t.markerSize * t.markerSize : 0.5 * ((sizes.max() ?? 0) + (sizes.min() ?? 0))
            let lw = s.lineWidths?.first ?? t.patchLineWidth
            // HandlerPathCollection: one point at x = width/2, y = 3/8 of the height, drawn as markers
            // unless its edges are 'none'.
            drawMarker(
                s.marker, at: (b.x + b.width / 2, b.y + b.height * 0.375), size: area.squareRoot(), face: face,
                edge: edge, edgeWidth: lw, as: s.edgeColors?.isEmpty == true ? .paths : .collectionMarkers)
        case .bars(let bm):
            let face = color(bm.color, alpha: bm.alpha, default: t.colorCycle.first ?? t.patchFaceColor)
            let edge = bm.edgeColor.map { bm.alpha.map($0.withAlpha) ?? $0 }
            snappedRect(b, edge: edge, width: bm.lineWidth ?? t.patchLineWidth)
            fillAndStroke(face: face, edge: edge, width: bm.lineWidth ?? t.patchLineWidth)
        case .fill(let f):
            let face = color(f.color, alpha: f.alpha, default: t.colorCycle.first ?? .black)
            snappedRect(b, edge: Self.fillEdge(f), width: f.lineWidth ?? t.patchLineWidth)
            fillAndStroke(face: face, edge: Self.fillEdge(f), width: f.lineWidth ?? t.patchLineWidth)
        case .span(let s):
            let face = color(s.color, alpha: s.alpha, default: t.colorCycle.first ?? t.patchFaceColor)
            polygon(snap(corners(b), lineWidth: Self.spanEdge(s) == nil ? 0 : t.patchLineWidth))
            fillAndStroke(face: face, edge: Self.spanEdge(s), width: t.patchLineWidth)
        case .text, .annotation:
            break
        }
    }

    // MARK: Text

    /// Draws a placed text: shaped with the measurer's shaper, its lines
    /// laid out from the unrotated box's top-left corner and rotated about it.
    mutating func drawText(_ p: PlacedText) {
        guard !p.text.isEmpty else { return }
        let block = TextBlock(p.text, size: p.fontSize, bold: p.bold, dpi: textDPI, alignment: p.horizontalAlignment)
        let theta = p.rotation * Double.pi / 180
        let c = cos(theta)
        let s = sin(theta)
        setColor(p.color)
        for (line, lx, baseline) in block.lines {
            for run in line.runs {
                guard let face = FontBook.shared.face(run.style) else { continue }
                // The run's origin relative to the box's top-left corner (y up).
                let u = lx + run.x
                let v = baseline + run.y - block.height
                let fx = p.originX + u * c - v * s
                let fy = p.originY + u * s + v * c
                // The glyphs at the pen positions the run was measured with.
                let placed = FontBook.shared.metrics(run.text, style: run.style, size: run.size, dpi: run.dpi).glyphs
                guard !placed.isEmpty else { continue }
                if canvas.isRaster {
                    drawGlyphs(placed, run: run, x: fx, y: fy, rotation: p.rotation)
                    continue
                }
                var glyphs = placed.map { cairo_glyph_t(index: UInt($0.index), x: $0.x, y: 0) }
                cairo_save(cr)
                cairo_set_font_face(cr, face)
                cairo_set_font_size(cr, run.size)
                cairo_translate(cr, canvas.x(fx), canvas.y(fy))
                if theta != 0 { cairo_rotate(cr, -theta) }
                cairo_show_glyphs(cr, &glyphs, Int32(glyphs.count))
                cairo_restore(cr)
            }
        }
    }

    /// Draws a run's glyphs onto a raster surface as matplotlib 3.11's Agg
    /// back end does: each glyph rendered by FreeType at its own origin,
    /// rounded to 1/64 pixel, turned with the text, and blended through its
    /// coverage at whole-pixel offsets, glyph after glyph.
    private func drawGlyphs(_ glyphs: [PlacedGlyph], run: GlyphRun, x: Double, y: Double, rotation: Double) {
        let k = canvas.scale
        let dpi = k * 72
        let theta = rotation * Double.pi / 180
        let c = cos(theta)
        let s = sin(theta)
        // The run's origin in device pixels, y up from the surface's bottom edge.
        let ox = canvas.x(x) * k
        let oy = Double(canvas.pixelHeight) - canvas.y(y) * k
        // Far off the surface (or not a number) is not drawn, and never converted.
        let limit = Double(1 << 40)
        guard ox.isFinite, oy.isFinite, abs(ox) < limit, abs(oy) < limit, theta.isFinite else { return }
        let matrix = FixedMatrix(rotation: rotation)
        func fixed(_ v: Double) -> Int { Int((v * 64).rounded(.toNearestOrEven)) }
        cairo_save(cr)
        cairo_identity_matrix(cr)
        for g in glyphs where g.x.isFinite && abs(g.x * k) < limit {
            let d = g.x * k
            guard
                let bitmap = FontBook.shared.rasterize(
                    glyph: g.index, style: run.style, size: run.size, dpi: dpi, matrix: matrix,
                    origin: (fixed(ox + d * c), fixed(oy + d * s))),
                bitmap.width > 0, bitmap.rows > 0
            else { continue }
            mask(bitmap, column: bitmap.left, row: canvas.pixelHeight - bitmap.top)
        }
        cairo_restore(cr)
    }

    /// Blends the source colour through `bitmap`'s coverage, its top-left
    /// pixel at (`column`, `row`) of the surface.
    private func mask(_ bitmap: GlyphBitmap, column: Int, row: Int) {
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_A8, Int32(bitmap.width)))
        guard stride >= bitmap.width else { return }
        var data = [UInt8](repeating: 0, count: stride * bitmap.rows)
        for r in 0..<bitmap.rows {
            for c in 0..<bitmap.width { data[r * stride + c] = bitmap.coverage[r * bitmap.width + c] }
        }
        data.withUnsafeMutableBufferPointer { buffer in
            guard
                let surface = cairo_image_surface_create_for_data(
                    buffer.baseAddress, CAIRO_FORMAT_A8, Int32(bitmap.width), Int32(bitmap.rows), Int32(stride))
            else { return }
            cairo_mask_surface(cr, surface, Double(column), Double(row))
            cairo_surface_destroy(surface)
        }
    }

    // MARK: Primitives

    func setColor(_ c: Color) {
        cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha)
    }

    func rect(_ b: Box) {
        cairo_rectangle(cr, canvas.x(b.x), canvas.y(b.maxY), b.width, b.height)
    }

    /// Clips to `b`. In raster output the box's sides are first rounded to
    /// whole pixels, as Agg's `set_clipbox` rounds a clip rectangle
    /// (`floor(v + 0.5)` in device pixels): a bar snapped to a pixel edge
    /// then ends there, not in a half-covered row at the axes' edge.
    func clip(_ b: Box) {
        if canvas.isRaster {
            let k = canvas.scale
            func round(_ v: Double) -> Double { (v * k + 0.5).rounded(.down) / k }
            let left = round(canvas.x(b.x))
            let right = round(canvas.x(b.maxX))
            let top = round(canvas.y(b.maxY))
            let bottom = round(canvas.y(b.y))
            cairo_rectangle(cr, left, top, right - left, bottom - top)
        } else {
            rect(b)
        }
        cairo_clip(cr)
    }

    /// A rectangle's path, snapped as Agg snaps a patch drawn with an edge of
    /// `width` points (no visible edge: width 0).
    func snappedRect(_ b: Box, edge: Color?, width: Double) {
        let visible = (edge?.alpha ?? 0) > 0
        polygon(snap(corners(b), lineWidth: visible ? width : 0))
    }

    /// A box with rounded corners as matplotlib's `BoxStyle.Round` draws
    /// them: each corner a quadratic Bézier through the box's corner.
    func roundedRect(_ b: Box, radius r0: Double) {
        let r = max(0, min(r0, b.width / 2, b.height / 2))
        let x0 = canvas.x(b.x)
        let y0 = canvas.y(b.maxY)
        let x1 = x0 + b.width
        let y1 = y0 + b.height
        // A quadratic from the current point through `c` to `e`, as the cubic cairo draws.
        func corner(_ c: (Double, Double), _ e: (Double, Double)) {
            var sx = 0.0
            var sy = 0.0
            cairo_get_current_point(cr, &sx, &sy)
            cairo_curve_to(
                cr, sx + 2 / 3 * (c.0 - sx), sy + 2 / 3 * (c.1 - sy), e.0 + 2 / 3 * (c.0 - e.0),
                e.1 + 2 / 3 * (c.1 - e.1), e.0, e.1)
        }
        cairo_new_sub_path(cr)
        cairo_move_to(cr, x0 + r, y1)
        cairo_line_to(cr, x1 - r, y1)
        corner((x1, y1), (x1, y1 - r))
        cairo_line_to(cr, x1, y0 + r)
        corner((x1, y0), (x1 - r, y0))
        cairo_line_to(cr, x0 + r, y0)
        corner((x0, y0), (x0, y0 + r))
        cairo_line_to(cr, x0, y1 - r)
        corner((x0, y1), (x0 + r, y1))
        cairo_close_path(cr)
    }

    func polygon(_ pts: [(Double, Double)]) {
        guard let first = pts.first else { return }
        cairo_move_to(cr, canvas.x(first.0), canvas.y(first.1))
        for p in pts.dropFirst() { cairo_line_to(cr, canvas.x(p.0), canvas.y(p.1)) }
        cairo_close_path(cr)
    }

    func fillAndStroke(face: Color?, edge: Color?, width: Double) {
        if let face, face.alpha > 0 {
            setColor(face)
            if let edge, edge.alpha > 0, width > 0 { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
        }
        if let edge, edge.alpha > 0, width > 0 {
            setColor(edge)
            cairo_set_line_width(cr, width)
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER)
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
            cairo_set_dash(cr, nil, 0, 0)
            cairo_stroke(cr)
        }
        cairo_new_path(cr)
    }

    func apply(_ s: StrokeStyle) {
        setColor(s.color)
        cairo_set_line_width(cr, s.width)
        // Dashed lines take `lines.dash_capstyle` (butt), solid ones their own.
        switch s.dash == .solid || s.dash == .none ? s.cap : theme.dashCapStyle {
        case .butt: cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        case .round: cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
        case .projecting: cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE)
        }
        cairo_set_line_join(cr, s.roundJoin ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_MITER)
        // lines.scale_dashes: the pattern in units of the line width.
        let pattern: [Double]
        switch s.dash {
        case .solid, .none: pattern = []
        case .dashed: pattern = [3.7, 1.6]
        case .dotted: pattern = [1, 1.65]
        case .dashDot: pattern = [6.4, 1.6, 1, 1.6]
        }
        let scaled = pattern.map { $0 * max(s.width, 1e-9) }
        scaled.withUnsafeBufferPointer { buf in
            cairo_set_dash(cr, buf.baseAddress, Int32(scaled.count), 0)
        }
    }

    /// A polyline, broken at non-finite points.
    func drawSegments(_ pts: [(Double, Double)], _ s: StrokeStyle) {
        var run: [(Double, Double)] = []
        for p in pts {
            if p.0.isFinite && p.1.isFinite {
                run.append(p)
            } else {
                polyline(run, s)
                run = []
            }
        }
        polyline(run, s)
    }

    /// The corners of a box, counter-clockwise from the bottom left.
    func corners(_ b: Box) -> [(Double, Double)] {
        [(b.x, b.y), (b.maxX, b.y), (b.maxX, b.maxY), (b.x, b.maxY)]
    }

    /// matplotlib's path snapping (Agg, snap 'auto'): in raster output, a
    /// path of only horizontal and vertical segments has its vertices moved
    /// to pixel centres (odd line widths in pixels) or pixel edges (even).
    func snap(_ pts: [(Double, Double)], lineWidth: Double) -> [(Double, Double)] {
        guard canvas.isRaster, pts.count >= 2 else { return pts }
        for i in 1..<pts.count {
            let dx = abs(pts[i].0 - pts[i - 1].0)
            let dy = abs(pts[i].1 - pts[i - 1].1)
            if dx > 1e-9 && dy > 1e-9 { return pts }
        }
        let k = canvas.scale
        let snapValue = Int((lineWidth * k).rounded()) % 2 == 1 ? 0.5 : 0.0
        return pts.map { p in
            // Snap in device pixels (y down), then map back to figure points.
            let dx = (canvas.x(p.0) * k + 0.5).rounded(.down) + snapValue
            let dy = (canvas.y(p.1) * k + 0.5).rounded(.down) + snapValue
            return (dx / k + canvas.originX, canvas.topY - dy / k)
        }
    }

    func polyline(_ raw: [(Double, Double)], _ s: StrokeStyle) {
        guard raw.count >= 2, s.width > 0, s.color.alpha > 0 else { return }
        let pts = snap(raw, lineWidth: s.width)
        apply(s)
        cairo_move_to(cr, canvas.x(pts[0].0), canvas.y(pts[0].1))
        for p in pts.dropFirst() { cairo_line_to(cr, canvas.x(p.0), canvas.y(p.1)) }
        cairo_stroke(cr)
    }

    /// One marker of `size` points (matplotlib's marker paths and scaling).
    func drawMarker(
        _ m: MarkerStyle, at p: (Double, Double), size: Double, face: Color, edge: Color, edgeWidth: Double,
        as drawing: MarkerDrawing = .line
    ) {
        let (paths, filled) = MarkerPaths.path(m)
        // Raster output draws in device pixels, as Agg does. A line's markers
        // (draw_markers): the marker at whole pixels from the point rounded,
        // its own path snapped (only horizontal and vertical segments) or
        // moved to the pixel centre (anything else). A collection's
        // (draw_path_collection): each path at the point itself, snapped
        // there if straight.
        let k = canvas.isRaster ? canvas.scale : 1
        var cx = canvas.x(p.0) * k
        var cy = canvas.y(p.1) * k
        var snapped: ((Double, Double)) -> (Double, Double) = { $0 }
        cairo_save(cr)
        if canvas.isRaster {
            cairo_identity_matrix(cr)
            // A line's markers snap by the marker's threshold (snap on or
            // off); collections by their paths (matplotlib's 'auto').
            let straight: Bool
            if drawing == .line, let threshold = MarkerPaths.snapThreshold(m) {
                straight = size * k >= threshold
            } else {
                straight = paths.allSatisfy { path in
                    !path.isCircle
                        && zip(path.points, path.points.dropFirst()).allSatisfy {
                            abs($0.0 - $1.0) * size * k < 1e-4 || abs($0.1 - $1.1) * size * k < 1e-4
                        }
                }
            }
            let snapValue = Int((edgeWidth * k).rounded()) % 2 == 1 ? 0.5 : 0.0
            let (x0, y0) = (cx, cy)
            func snap(_ v: (Double, Double)) -> (Double, Double) {
                ((v.0 + 0.5).rounded(.down) + snapValue, (v.1 + 0.5).rounded(.down) + snapValue)
            }
            if drawing == .paths {
                // Snapped where the path lands; the centre stays where it is.
                snapped =
                    straight
                    ? {
                        let v = snap(($0.0 + x0, $0.1 + y0)); return (v.0 - x0, v.1 - y0)
                    } : { $0 }
            } else {
                cx = (cx + 0.5).rounded(.down)
                cy = (cy + 0.5).rounded(.down)
                snapped = straight ? snap : { ($0.0 + 0.5, $0.1 + 0.5) }
            }
        }
        for path in paths {
            if path.isCircle {
                let c = snapped((0, 0))
                cairo_new_sub_path(cr)
                cairo_arc(cr, cx + c.0, cy + c.1, path.radius * size * k, 0, 2 * Double.pi)
                cairo_close_path(cr)
            } else if let first = path.points.first {
                let f = snapped((first.0 * size * k, -first.1 * size * k))
                cairo_move_to(cr, cx + f.0, cy + f.1)
                for q in path.points.dropFirst() {
                    let v = snapped((q.0 * size * k, -q.1 * size * k))
                    cairo_line_to(cr, cx + v.0, cy + v.1)
                }
                if path.closed { cairo_close_path(cr) }
            }
        }
        cairo_restore(cr)
        if filled && face.alpha > 0 {
            setColor(face)
            cairo_fill_preserve(cr)
        }
        if edgeWidth > 0 && edge.alpha > 0 {
            setColor(filled ? edge : (edge.alpha > 0 ? edge : face))
            cairo_set_line_width(cr, edgeWidth)
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER)
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
            cairo_set_dash(cr, nil, 0, 0)
            cairo_stroke(cr)
        }
        cairo_new_path(cr)
    }
}
