import Foundation

/// The subplot parameters in effect (figure fractions).
struct ResolvedSubplotParams: Hashable, Sendable {
    var left: Double
    var right: Double
    var bottom: Double
    var top: Double
    var wspace: Double
    var hspace: Double
}

/// The port of matplotlib's placement: `GridSpec.get_grid_positions`,
/// the axis decorations (`Axis._update_label_position`, tick label pads,
/// title offset), `_tight_layout._auto_adjust_subplotpars` and
/// `Figure.get_tightbbox`.
struct LayoutEngine<M: TextMeasurer> {
    var figure: Figure
    var measurer: M

    var W: Double { figure.widthInches * 72 }
    var H: Double { figure.heightInches * 72 }
    var theme: Theme { figure.theme }

    /// The subplot parameters: the theme's and the figure's, adjusted by
    /// `tight_layout` with this engine's text measures.
    func subplotParameters(limits: [(x: ViewLimits, y: ViewLimits)]) -> ResolvedSubplotParams {
        let t = theme
        let sp = figure.subplotParams
        let params = ResolvedSubplotParams(
            left: sp.left ?? t.subplotLeft, right: sp.right ?? t.subplotRight, bottom: sp.bottom ?? t.subplotBottom,
            top: sp.top ?? t.subplotTop, wspace: sp.wspace ?? t.subplotWSpace, hspace: sp.hspace ?? t.subplotHSpace)
        if case .tight(let pad, let hPad, let wPad, let rect) = figure.layout,
            let adjusted = tightLayout(
                axes: placeAll(params: params, limits: limits), params: params, pad: pad, hPad: hPad, wPad: wPad,
                rect: rect)
        {
            return adjusted
        }
        return params
    }

    /// The layout; `params` are subplot parameters found with other text
    /// measures (matplotlib's `tight_layout` runs at the figure's dpi, before
    /// the figure is saved at another), nil to find them here.
    func run(params given: ResolvedSubplotParams? = nil) -> FigureLayout {
        let limits = Scales.limits(figure)
        let t = theme
        let params = given ?? subplotParameters(limits: limits)
        let axes = placeAll(params: params, limits: limits)
        var layout = FigureLayout(figure: figure, axes: axes, tightBox: Box(x: 0, y: 0, width: W, height: H))
        var boxes = axes.filter { _ in true }.map(\.tightBox)
        if let s = figure.suptitle, !s.isEmpty {
            let st = PlacedText(
                s, x: W * 0.5, y: H * 0.98, fontSize: figure.suptitleFontSize ?? t.figureTitleSize, color: t.textColor,
                horizontalAlignment: .center, verticalAlignment: .top, measurer: measurer)
            layout.suptitle = st
            boxes.append(st.box)
        }
        let figBox = Box(x: 0, y: 0, width: W, height: H)
        for legend in figure.legends {
            let entries = (legend.entries ?? []).map { ($0.label, $0.handle) }
            let anchor = anchorBox(legend.bboxToAnchor, parent: figBox)
            let layouter = LegendLayouter(theme: t, measurer: measurer)
            var l: LegendLayout
            if let placement = legend.placement {
                l = layouter.placed(legend, entries: entries, placement: placement, figure: figBox)
            } else {
                l = layouter.layout(legend, entries: entries, anchor: anchor, obstacles: nil)
                if legend.loc == 0 { l = layouter.place(l, loc: 1, anchor: anchor) }
            }
            layout.legends.append(l)
            boxes.append(l.frame)
        }
        for patch in figure.patches ?? [] where patch.rect.count == 4 {
            let r = patch.rect
            boxes.append(Box(x: r[0] * W, y: r[1] * H, width: r[2] * W, height: r[3] * H))
        }
        if let u = Box.union(boxes) { layout.tightBox = u }
        keepMarksClear(&layout)
        return layout
    }

    /// plotly draws overlapping tick labels over each other; a plotly-placed
    /// axes leaves out each x tick label that overlaps a y tick label or an
    /// x tick label kept before it.
    static func withholdOverlappingTickLabels(_ a: inout AxesLayout) {
        var kept = a.yTickLabels.compactMap { $0 }
        for i in a.xTickLabels.indices {
            guard let p = a.xTickLabels[i] else { continue }
            if kept.contains(where: { $0.overlaps(p, tolerance: 0.25) }) {
                a.withheldTickLabels.append(p)
                a.xTickLabels[i] = nil
            } else {
                kept.append(p)
            }
        }
    }

    /// Moves every `keepsClear` text mark up or down by the least amount (in
    /// quarter points, up to 12 pt) that takes it off the other texts and the
    /// axis lines; the move is kept in the layout's figure (and `movedMarks`).
    func keepMarksClear(_ layout: inout FigureLayout) {
        let step = 0.25
        for k in layout.axes.indices where k < layout.figure.axes.count {
            for (i, mark) in layout.figure.axes[k].marks.enumerated() {
                guard case .text(var t) = mark, t.keepsClear == true,
                    let placed = layout.axes[k].placedText(mark, theme: theme, measurer: measurer)
                else { continue }
                let others = layout.texts(measurer: measurer).filter { !($0.axes == k && $0.mark == i) }
                let spines = layout.spines
                func clear(_ p: PlacedText) -> Bool {
                    !others.contains { $0.text.overlaps(p, tolerance: step) }
                        && !spines.contains { $0.crosses(p.box, tolerance: step) }
                }
                guard !clear(placed) else { continue }
                let shifts = (1...48).flatMap { n in [Double(n) * step, -Double(n) * step] }
                guard let dy = shifts.first(where: { clear(placed.offsetBy(0, $0)) }) else { continue }
                t.offsetY = (t.offsetY ?? 0) + dy
                layout.figure.axes[k].marks[i] = .text(t)
                layout.movedMarks.append(MovedMark(axes: k, mark: i, dy: dy))
            }
        }
    }

    /// `GridSpec.get_grid_positions`: the boxes of the grid cells, row-major.
    func gridBoxes(_ p: ResolvedSubplotParams) -> [Box] {
        let rows = max(figure.rows, 1)
        let cols = max(figure.cols, 1)
        let totW = p.right - p.left
        let totH = p.top - p.bottom
        let cellH = totH / (Double(rows) + p.hspace * Double(rows - 1))
        let sepH = p.hspace * cellH
        let cellW = totW / (Double(cols) + p.wspace * Double(cols - 1))
        let sepW = p.wspace * cellW
        var out: [Box] = []
        for r in 0..<rows {
            let top = p.top - Double(r) * (cellH + sepH)
            for c in 0..<cols {
                let left = p.left + Double(c) * (cellW + sepW)
                out.append(Box(x: left * W, y: (top - cellH) * H, width: cellW * W, height: cellH * H))
            }
        }
        return out
    }

    func placeAll(params: ResolvedSubplotParams, limits: [(x: ViewLimits, y: ViewLimits)]) -> [AxesLayout] {
        let boxes = gridBoxes(params)
        return figure.axes.enumerated().map { i, ax in
            var box = i < boxes.count ? boxes[i] : boxes[boxes.count - 1]
            if let r = ax.position, r.count == 4 {
                box = Box(x: r[0] * W, y: r[1] * H, width: r[2] * W, height: r[3] * H)
            }
            return place(ax, index: i, box: box, limits: limits[i])
        }
    }

    /// One axes with its ticks resolved for `box` and every decoration placed.
    func place(_ ax: Axes, index: Int, box: Box, limits: (x: ViewLimits, y: ViewLimits)) -> AxesLayout {
        let t = theme
        // Shared axes: the spec matplotlib uses (scale, fixed ticks,
        // formatter shared by the group) and label_outer's hidden labels.
        let xr = Scales.ticks(
            Scales.effectiveAxis(figure, axesIndex: index, isX: true), limits: limits.x, isX: true,
            lengthPoints: box.width, tickLabelSize: t.xTickLabelSize, theme: t,
            labelsVisible: Scales.labelsVisible(figure, axesIndex: index, isX: true))
        let yr = Scales.ticks(
            Scales.effectiveAxis(figure, axesIndex: index, isX: false), limits: limits.y, isX: false,
            lengthPoints: box.height, tickLabelSize: t.yTickLabelSize, theme: t,
            labelsVisible: Scales.labelsVisible(figure, axesIndex: index, isX: false))
        var a = AxesLayout(box: box, x: xr, y: yr)
        var tight: [Box] = [box]
        let labelColor = t.labelColor
        if ax.axisOn {
            let xm = a.xMap
            let ym = a.yMap
            let majorPad = t.majorTickSize + t.tickPad
            // Minor tick labels sit at the minor ticks' own size and pad.
            let minorPad = t.minorTickSize + (t.minorTickPad ?? 3.4)
            func inView(_ p: Double, _ lo: Double, _ len: Double) -> Bool {
                p.isFinite && p >= lo - 1e-6 * max(len, 1) && p <= lo + len + 1e-6 * max(len, 1)
            }
            let xSizes = Self.tickLabelSizes(ax.x, default: t.xTickLabelSize)
            let ySizes = Self.tickLabelSizes(ax.y, default: t.yTickLabelSize)
            func xTickLabels(rotation: Double, centred: Bool = false) -> [PlacedText?] {
                (xr.major.map { ($0, majorPad) } + xr.minor.map { ($0, minorPad) }).map { tick, pad in
                    let px = xm.position(tick.value)
                    guard !tick.label.isEmpty, inView(px, box.x, box.width) else { return nil }
                    let size = xSizes(tick.value)
                    if let standoff = ax.x.tickLabelStandoff {
                        return Self.plotlyXTickLabel(
                            tick.label, x: px, axisY: box.y, standoff: standoff, size: size, rotation: rotation,
                            color: t.tickLabelColor, measurer: measurer)
                    }
                    return PlacedText(
                        tick.label, x: px, y: box.y - pad, fontSize: size, color: t.tickLabelColor,
                        horizontalAlignment: rotation == 0 || centred ? .center : rotation > 0 ? .right : .left,
                        verticalAlignment: .top, rotation: rotation, measurer: measurer)
                }
            }
            a.xTickLabels = xTickLabels(rotation: ax.x.tickLabelRotation ?? 0)
            if ax.x.tickLabelRotation == nil, ax.x.autoRotateTickLabels == true {
                // plotly's tickangle 'auto' (autotickangles [0, 30, 90]): the first
                // angle at which neighbouring labels keep apart. Turned labels are
                // parallel strips as tall as the text: they keep apart when the
                // ticks' spacing across the strips exceeds that height.
                let boxes = a.xTickLabels.compactMap { $0?.box }.sorted { $0.x < $1.x }
                if zip(boxes, boxes.dropFirst()).contains(where: { $0.maxX + 2 > $1.x }) {
                    let anchors = a.xTickLabels.compactMap { $0?.x }.sorted()
                    let gap = zip(anchors, anchors.dropFirst()).map { $1 - $0 }.min() ?? .infinity
                    let height =
                        a.xTickLabels.compactMap { p in
                            p.map { measurer.measure($0.text, fontSize: $0.fontSize, bold: $0.bold).height }
                        }.max() ?? 0
                    let angle = gap * sin(Double.pi / 6) >= height + 2 ? 30.0 : 90.0
                    // plotly turns its labels clockwise, matplotlib's turn the other way.
                    let turned = ax.x.tickLabelStandoff != nil && angle == 30 ? -angle : angle
                    a.xTickLabels = xTickLabels(rotation: turned, centred: angle == 90)
                }
            }
            a.yTickLabels = (yr.major.map { ($0, majorPad) } + yr.minor.map { ($0, minorPad) }).map { tick, pad in
                let py = ym.position(tick.value)
                guard !tick.label.isEmpty, inView(py, box.y, box.height) else { return nil }
                let size = ySizes(tick.value)
                if let standoff = ax.y.tickLabelStandoff {
                    return PlacedText(
                        tick.label, x: box.x - standoff, y: py - 0.35 * size, fontSize: size, color: t.tickLabelColor,
                        horizontalAlignment: .right, verticalAlignment: .baseline, measurer: measurer)
                }
                return PlacedText(
                    tick.label, x: box.x - pad, y: py, fontSize: size, color: t.tickLabelColor,
                    horizontalAlignment: .right, verticalAlignment: .centerBaseline, measurer: measurer)
            }
            if ax.x.tickLabelStandoff != nil { Self.withholdOverlappingTickLabels(&a) }
            // Axis labels below/left of the union of tick labels and spine.
            let xTickBoxes = a.xTickLabels.compactMap { $0?.box }
            let xBottom = min(Box.union(xTickBoxes)?.y ?? box.y, box.y)
            if !xr.offsetText.isEmpty {
                let ot = PlacedText(
                    xr.offsetText, x: box.maxX, y: xBottom - 3, fontSize: t.xTickLabelSize, color: t.tickLabelColor,
                    horizontalAlignment: .right, verticalAlignment: .top, measurer: measurer)
                a.xOffsetText = ot
                tight.append(ot.box)
            }
            if !ax.x.label.isEmpty {
                let l = PlacedText(
                    ax.x.label, x: box.x + box.width / 2, y: xBottom - t.labelPad,
                    fontSize: ax.x.labelFontSize ?? t.labelSize, color: labelColor, horizontalAlignment: .center,
                    verticalAlignment: .top, measurer: measurer)
                a.xLabel = l
            }
            let yTickBoxes = a.yTickLabels.compactMap { $0?.box }
            let yLeft = min(Box.union(yTickBoxes)?.x ?? box.x, box.x)
            if !yr.offsetText.isEmpty {
                let ot = PlacedText(
                    yr.offsetText, x: box.x, y: box.maxY + 3, fontSize: t.yTickLabelSize, color: t.tickLabelColor,
                    horizontalAlignment: .left, verticalAlignment: .baseline, measurer: measurer)
                a.yOffsetText = ot
                tight.append(ot.box)
            }
            if !ax.y.label.isEmpty {
                // rotation 90, rotation_mode 'anchor', va 'bottom', ha 'center':
                // the rotated box's right edge on the anchor, centred on it.
                let l = PlacedText(
                    ax.y.label, x: yLeft - t.labelPad, y: box.y + box.height / 2,
                    fontSize: ax.y.labelFontSize ?? t.labelSize, color: labelColor, horizontalAlignment: .right,
                    verticalAlignment: .center, rotation: 90, measurer: measurer)
                a.yLabel = l
            }
            tight += xTickBoxes + yTickBoxes
        }
        if !ax.title.isEmpty {
            a.title = PlacedText(
                ax.title, x: box.x + box.width / 2, y: box.maxY + t.titlePad, fontSize: ax.titleFontSize ?? t.titleSize,
                color: t.titleColor, horizontalAlignment: .center, verticalAlignment: .baseline, measurer: measurer)
        }
        // Texts that are not clipped.
        tight += textBoxes(ax, a)
        if let legend = ax.legend {
            let entries = legend.entries.map { $0.map { ($0.label, $0.handle) } } ?? Self.legendEntries(ax)
            if !entries.isEmpty {
                let anchor = anchorBox(legend.bboxToAnchor, parent: box)
                let l = LegendLayouter(theme: t, measurer: measurer).layout(
                    legend, entries: entries, anchor: anchor, obstacles: Obstacles(ax, a, theme: t, measurer: measurer))
                a.legend = l
                tight.append(l.frame)
            }
        }
        a.tightBox = Box.union(tight + [a.title?.box, a.xLabel?.box, a.yLabel?.box].compactMap { $0 }) ?? box
        return a
    }

    /// A tick label's font size by tick value (`Axis.tickLabelSizes`).
    static func tickLabelSizes(_ axis: Axis, default size: Double) -> (Double) -> Double {
        guard let sizes = axis.tickLabelSizes, let ticks = axis.ticks else { return { _ in size } }
        var byValue: [Double: Double] = [:]
        for (v, s) in zip(ticks, sizes) { byValue[v] = s }
        return { byValue[$0] ?? size }
    }

    /// An x tick label placed as plotly places it below the axis: centred on
    /// the tick, its baseline `standoff` + its size below the axis line;
    /// turned labels (plotly's clockwise angles are negative here) start at
    /// that point, turned about the point half a font size above it.
    static func plotlyXTickLabel(
        _ text: String, x: Double, axisY: Double, standoff: Double, size: Double, rotation: Double, color: Color,
        measurer: some TextMeasurer
    ) -> PlacedText {
        let baseline = axisY - standoff - size
        if rotation == 0 {
            return PlacedText(
                text, x: x, y: baseline, fontSize: size, color: color, horizontalAlignment: .center,
                verticalAlignment: .baseline, measurer: measurer)
        }
        // The unturned text's baseline start, turned about (x, baseline + size / 2).
        let th = rotation * Double.pi / 180
        let cx = x
        let cy = baseline + size / 2
        let start = rotation < 0 ? 0.0 : -measurer.measure(text, fontSize: size, bold: false).width
        let dx = start
        let dy = -size / 2
        let px = cx + dx * cos(th) - dy * sin(th)
        let py = cy + dx * sin(th) + dy * cos(th)
        var p = PlacedText(
            text, x: px, y: py, fontSize: size, color: color, horizontalAlignment: .left, verticalAlignment: .baseline,
            rotation: rotation, measurer: measurer)
        // PlacedText aligns the turned box; put the unturned baseline's start on (px, py) instead.
        let e = measurer.measure(text, fontSize: size, bold: false)
        let ox = px - (e.height - e.descent) * sin(th)
        let oy = py + (e.height - e.descent) * cos(th)
        p = p.offsetBy(ox - p.originX, oy - p.originY)
        return p
    }

    /// `bbox_to_anchor` in the parent's fraction; (x, y) is a zero-size box.
    func anchorBox(_ b: [Double]?, parent: Box) -> Box {
        guard let b, b.count >= 2 else { return parent }
        let w = b.count >= 4 ? b[2] : 0
        let h = b.count >= 4 ? b[3] : 0
        return Box(
            x: parent.x + b[0] * parent.width, y: parent.y + b[1] * parent.height, width: w * parent.width,
            height: h * parent.height)
    }

    /// The boxes of the axes' text marks and annotations (never clipped).
    func textBoxes(_ ax: Axes, _ a: AxesLayout) -> [Box] {
        ax.marks.compactMap { mark in a.placedText(mark, theme: theme, measurer: measurer)?.box }
    }

    /// An axes legend's entries: labelled children in insertion order,
    /// then bar and errorbar containers (matplotlib's `_get_legend_handles`).
    static func legendEntries(_ ax: Axes) -> [(String, Mark)] {
        var children: [(String, Mark)] = []
        var containers: [(String, Mark)] = []
        for m in ax.marks {
            switch m {
            case .bars(let b):
                if let l = b.label { b.isHistogram ? children.append((l, m)) : containers.append((l, m)) }
            case .errorBar(let e):
                if let l = e.label { containers.append((l, m)) }
            case .line(let x): if let l = x.label { children.append((l, m)) }
            case .scatter(let x): if let l = x.label { children.append((l, m)) }
            case .fill(let x): if let l = x.label { children.append((l, m)) }
            case .referenceLine(let x): if let l = x.label { children.append((l, m)) }
            case .span(let x): if let l = x.label { children.append((l, m)) }
            case .text, .annotation: break
            }
        }
        return children + containers
    }

    /// `_tight_layout.get_tight_layout_figure`: with a `rect`, a second pass fits the
    /// subplots and their decorations into it (the margins the first pass found are
    /// added to the rect's edges, as matplotlib does).
    func tightLayout(
        axes: [AxesLayout], params: ResolvedSubplotParams, pad: Double, hPad: Double?, wPad: Double?, rect: [Double]?
    ) -> ResolvedSubplotParams? {
        let first = autoAdjust(axes: axes, params: params, pad: pad, hPad: hPad, wPad: wPad)
        guard let rect, rect.count == 4, let first else { return first }
        let adjusted = [
            rect[0] + first.left, rect[1] + first.bottom, rect[2] - (1 - first.right), rect[3] - (1 - first.top),
        ]
        return autoAdjust(axes: axes, params: params, pad: pad, hPad: hPad, wPad: wPad, rect: adjusted)
    }

    /// `_tight_layout._auto_adjust_subplotpars` for a uniform grid. A `rect` edge
    /// that is non-zero fixes that margin (Python's `if not margin_left:`).
    func autoAdjust(
        axes: [AxesLayout], params: ResolvedSubplotParams, pad: Double, hPad: Double?, wPad: Double?,
        rect: [Double]? = nil
    ) -> ResolvedSubplotParams? {
        let rows = max(figure.rows, 1)
        let cols = max(figure.cols, 1)
        let fontSizeInch = theme.fontSize / 72
        let padInch = pad * fontSizeInch
        let vpadInch = (hPad.map { $0 * fontSizeInch }) ?? padInch
        let hpadInch = (wPad.map { $0 * fontSizeInch }) ?? padInch
        let wIn = figure.widthInches
        let hIn = figure.heightInches
        var vspaces = Array(repeating: Array(repeating: 0.0, count: cols), count: rows + 1)
        var hspaces = Array(repeating: Array(repeating: 0.0, count: cols + 1), count: rows)
        for (i, a) in axes.enumerated() {
            let r = i / cols
            let c = i % cols
            guard r < rows else { break }
            let tb = layoutTightBox(a, figure.axes[i])
            let ax = a.box
            hspaces[r][c] += (ax.x - tb.x) / W
            hspaces[r][c + 1] += (tb.maxX - ax.maxX) / W
            vspaces[r][c] += (tb.maxY - ax.maxY) / H
            vspaces[r + 1][c] += (ax.y - tb.y) / H
        }
        // rect = (left, bottom, right, top); `margin_right = 1 - right if right else None`.
        let fixedLeft = rect.map { $0[0] }.flatMap { $0 != 0 ? $0 : nil }
        let fixedBottom = rect.map { $0[1] }.flatMap { $0 != 0 ? $0 : nil }
        let fixedRight = rect.map { $0[2] }.flatMap { $0 != 0 ? 1 - $0 : nil }
        let fixedTop = rect.map { $0[3] }.flatMap { $0 != 0 ? 1 - $0 : nil }
        let marginLeft = fixedLeft ?? max(hspaces.map { $0[0] }.max() ?? 0, 0) + padInch / wIn
        let marginRight = fixedRight ?? max(hspaces.map { $0[cols] }.max() ?? 0, 0) + padInch / wIn
        var marginTop: Double
        if let fixedTop {
            marginTop = fixedTop
        } else {
            marginTop = max(vspaces[0].max() ?? 0, 0) + padInch / hIn
            if let s = figure.suptitle, !s.isEmpty {
                let e = measurer.measure(s, fontSize: figure.suptitleFontSize ?? theme.figureTitleSize, bold: false)
                marginTop += e.height / H + padInch / hIn
            }
        }
        let marginBottom = fixedBottom ?? max(vspaces[rows].max() ?? 0, 0) + padInch / hIn
        guard marginLeft + marginRight < 1, marginBottom + marginTop < 1 else { return nil }
        var p = params
        p.left = marginLeft
        p.right = 1 - marginRight
        p.bottom = marginBottom
        p.top = 1 - marginTop
        if cols > 1 {
            var inner = 0.0
            for row in hspaces { for v in row[1..<cols] { inner = max(inner, v) } }
            let hspace = inner + hpadInch / wIn
            let hAxes = (1 - marginRight - marginLeft - hspace * Double(cols - 1)) / Double(cols)
            guard hAxes > 0 else { return nil }
            p.wspace = hspace / hAxes
        }
        if rows > 1 {
            var inner = 0.0
            for row in vspaces[1..<rows] { inner = max(inner, row.max() ?? 0) }
            let vspace = inner + vpadInch / hIn
            let vAxes = (1 - marginTop - marginBottom - vspace * Double(rows - 1)) / Double(rows)
            guard vAxes > 0 else { return nil }
            p.hspace = vspace / vAxes
        }
        return p
    }

    /// `ax.get_tightbbox(for_layout_only=True)`: the title and x label count
    /// one pixel wide, the y label one pixel tall.
    func layoutTightBox(_ a: AxesLayout, _ ax: Axes) -> Box {
        var boxes: [Box] = [a.box]
        boxes += a.xTickLabels.compactMap { $0?.box } + a.yTickLabels.compactMap { $0?.box }
        if let o = a.xOffsetText { boxes.append(o.box) }
        if let o = a.yOffsetText { boxes.append(o.box) }
        let px = 72 / figure.dpi
        func narrow(_ b: Box) -> Box {
            Box(x: b.x + b.width / 2 - px / 2, y: b.y, width: px, height: b.height)
        }
        func short(_ b: Box) -> Box {
            Box(x: b.x, y: b.y + b.height / 2 - px / 2, width: b.width, height: px)
        }
        if let t = a.title { boxes.append(narrow(t.box)) }
        if let l = a.xLabel { boxes.append(narrow(l.box)) }
        if let l = a.yLabel { boxes.append(short(l.box)) }
        if let l = a.legend { boxes.append(l.frame) }
        boxes += textBoxes(ax, a)
        return Box.union(boxes) ?? a.box
    }
}

extension AxesLayout {
    /// The point a text mark is anchored at, in figure points, before its
    /// offset (nil when it falls off a log axis).
    public func anchor(of tm: TextMark) -> (Double, Double)? {
        let x = tm.coordinates == .axes ? xMap.fraction(tm.x) : xMap.position(tm.x)
        let y = (tm.yCoordinates ?? tm.coordinates) == .axes ? yMap.fraction(tm.y) : yMap.position(tm.y)
        guard x.isFinite, y.isFinite else { return nil }
        return (x, y)
    }

    /// A text or annotation mark of this axes placed on the figure (nil for
    /// other marks); a boxed text's box includes its pad.
    public func placedText(_ mark: Mark, theme t: Theme, measurer: some TextMeasurer) -> PlacedText? {
        let a = self
        switch mark {
        case .text(let tm):
            guard let (px, py) = a.anchor(of: tm) else { return nil }
            let x = px + (tm.offsetX ?? 0)
            let y = py + (tm.offsetY ?? 0)
            var p = PlacedText(
                tm.text, x: x, y: y, fontSize: tm.fontSize ?? t.fontSize, bold: tm.bold, color: tm.color ?? t.textColor,
                horizontalAlignment: tm.horizontalAlignment, verticalAlignment: tm.verticalAlignment,
                rotation: tm.rotation, measurer: measurer)
            if let b = tm.box {
                p.box = p.box.padded(b.pad * p.fontSize)
            }
            return p
        case .annotation(let an):
            let x = a.xMap.position(an.x) + an.offsetX
            let y = a.yMap.position(an.y) + an.offsetY
            guard x.isFinite, y.isFinite else { return nil }
            return PlacedText(
                an.text, x: x, y: y, fontSize: an.fontSize ?? t.fontSize, color: an.color ?? t.textColor,
                horizontalAlignment: an.horizontalAlignment, verticalAlignment: an.verticalAlignment,
                measurer: measurer)
        default:
            return nil
        }
    }

}
