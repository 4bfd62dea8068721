import Foundation

/// What an axes draws, in figure points, for `Legend._find_best_position`
/// (matplotlib's `_auto_legend_data`): paths of lines and non-rectangular
/// patches, boxes of rectangles and texts, offsets of collections.
struct Obstacles {
    var lines: [[(Double, Double)]] = []
    var boxes: [Box] = []
    var offsets: [(Double, Double)] = []

    init<M: TextMeasurer>(_ ax: Axes, _ a: AxesLayout, theme: Theme, measurer: M) {
        let xm = a.xMap
        let ym = a.yMap
        func pt(_ x: Double, _ y: Double) -> (Double, Double) { (xm.position(x), ym.position(y)) }
        for mark in ax.marks {
            switch mark {
            case .line(let l):
                lines.append(zip(l.x, l.y).map { pt($0, $1) })
            case .referenceLine(let r):
                if r.orientation == .vertical {
                    let x = xm.position(r.value)
                    lines.append([(x, ym.fraction(r.from)), (x, ym.fraction(r.to))])
                } else {
                    let y = ym.position(r.value)
                    lines.append([(xm.fraction(r.from), y), (xm.fraction(r.to), y)])
                }
            case .errorBar(let e):
                lines.append(zip(e.x, e.y).map { pt($0, $1) })
            case .scatter(let s):
                offsets += zip(s.x, s.y).map { pt($0, $1) }
            case .bars(let b):
                for r in BarGeometry.rectangles(b) {
                    let p0 = pt(r.x, r.y)
                    let p1 = pt(r.x + r.width, r.y + r.height)
                    boxes.append(
                        Box(
                            x: min(p0.0, p1.0), y: min(p0.1, p1.1), width: abs(p1.0 - p0.0), height: abs(p1.1 - p0.1)))
                }
            case .span(let s):
                if s.orientation == .vertical {
                    let x0 = xm.position(s.lower)
                    let x1 = xm.position(s.upper)
                    let y0 = ym.fraction(s.from)
                    let y1 = ym.fraction(s.to)
                    boxes.append(Box(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0)))
                } else {
                    let y0 = ym.position(s.lower)
                    let y1 = ym.position(s.upper)
                    let x0 = xm.fraction(s.from)
                    let x1 = xm.fraction(s.to)
                    boxes.append(Box(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0)))
                }
            case .fill(let f):
                if f.kind == .band {
                    var p = zip(f.x, f.y).map { pt($0, $1) }
                    p += zip(f.x, f.y2).reversed().map { pt($0, $1) }
                    if let first = p.first { p.append(first) }
                    lines.append(p)
                } else {
                    var p = zip(f.x, f.y).map { pt($0, $1) }
                    if let first = p.first { p.append(first) }
                    lines.append(p)
                }
            case .text, .annotation:
                if let t = a.placedText(mark, theme: theme, measurer: measurer) {
                    boxes.append(t.box)
                }
            }
        }
    }

    /// matplotlib's badness of a candidate legend box.
    func badness(_ b: Box) -> Int {
        func inside(_ p: (Double, Double)) -> Bool { p.0 > b.x && p.0 < b.maxX && p.1 > b.y && p.1 < b.maxY }
        var n = 0
        for l in lines {
            n += l.filter(inside).count
            if Obstacles.pathIntersects(l, b) { n += 1 }
        }
        n += offsets.filter(inside).count
        for o in boxes where o.x < b.maxX && o.maxX > b.x && o.y < b.maxY && o.maxY > b.y { n += 1 }
        return n
    }

    /// Whether any segment of the polyline touches the box (`Path.intersects_bbox(filled=False)`).
    static func pathIntersects(_ p: [(Double, Double)], _ b: Box) -> Bool {
        guard !p.isEmpty else { return false }
        if p.count == 1 { return segmentHitsBox(p[0], p[0], b) }
        for i in 1..<p.count where segmentHitsBox(p[i - 1], p[i], b) { return true }
        return false
    }

    /// Liang–Barsky clipping: does the segment meet the closed box?
    static func segmentHitsBox(_ a: (Double, Double), _ c: (Double, Double), _ b: Box) -> Bool {
        guard a.0.isFinite, a.1.isFinite, c.0.isFinite, c.1.isFinite else { return false }
        var t0 = 0.0
        var t1 = 1.0
        let dx = c.0 - a.0
        let dy = c.1 - a.1
        for (p, q) in [(-dx, a.0 - b.x), (dx, b.maxX - a.0), (-dy, a.1 - b.y), (dy, b.maxY - a.1)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let r = q / p
                if p < 0 {
                    if r > t1 { return false }
                    t0 = max(t0, r)
                } else {
                    if r < t0 { return false }
                    t1 = min(t1, r)
                }
            }
        }
        return t0 <= t1
    }
}

/// The rectangles of a bar mark, in data coordinates.
public enum BarGeometry {
    /// (x, y, width, height) of every bar; heights may be negative.
    public static func rectangles(_ b: BarMark) -> [(x: Double, y: Double, width: Double, height: Double)] {
        b.positions.indices.map { i in
            let w = b.widths.isEmpty ? 0.8 : b.widths[b.widths.count == 1 ? 0 : min(i, b.widths.count - 1)]
            let bottom = b.bottoms.isEmpty ? 0 : b.bottoms[b.bottoms.count == 1 ? 0 : min(i, b.bottoms.count - 1)]
            let v = i < b.values.count ? b.values[i] : 0
            let start = b.align == .center ? b.positions[i] - w / 2 : b.positions[i]
            if b.orientation == .vertical {
                return (start, bottom, w, v)
            }
            return (bottom, start, v, w)
        }
    }
}

/// matplotlib's `Legend` layout in font-size units.
struct LegendLayouter<M: TextMeasurer> {
    var theme: Theme
    var measurer: M

    static var borderPad: Double { 0.4 }
    static var labelSpacing: Double { 0.5 }
    static var handleLength: Double { 2.0 }
    static var handleHeight: Double { 0.7 }
    static var handleTextPad: Double { 0.8 }
    static var borderAxesPad: Double { 0.5 }
    static var columnSpacing: Double { 2.0 }

    /// Sizes the legend and places it at its location (resolving 'best'
    /// against `obstacles`; a legend without obstacles and loc 0 is left
    /// for the caller to place).
    func layout(_ legend: Legend, entries: [(String, Mark)], anchor: Box, obstacles: Obstacles?) -> LegendLayout {
        let fs = legend.fontSize ?? theme.legendFontSize
        let ncol = max(1, min(legend.ncol, max(entries.count, 1)))
        // Distribute entries over columns (first columns take the extra ones).
        let (nrows, large) = (entries.count / ncol, entries.count % ncol)
        var columns: [[(String, Mark)]] = []
        var k = 0
        for c in 0..<ncol {
            let n = nrows + (c < large ? 1 : 0)
            columns.append(Array(entries[k..<min(k + n, entries.count)]))
            k += n
        }
        let extents = columns.map { col in col.map { measurer.measure($0.0, fontSize: fs, bold: false) } }
        // Row heights: baseline-aligned handle box (0.7 fs tall) and text.
        func rowMetrics(_ e: TextExtent) -> (ascent: Double, descent: Double) {
            (max(Self.handleHeight * fs, e.height - e.descent), max(0, e.descent))
        }
        var colWidths: [Double] = []
        var colHeights: [Double] = []
        for ext in extents {
            let w = ext.map { Self.handleLength * fs + Self.handleTextPad * fs + $0.width }.max() ?? 0
            let h =
                ext.map { rowMetrics($0) }.reduce(0) { $0 + $1.ascent + $1.descent }
                + Double(max(ext.count - 1, 0)) * Self.labelSpacing * fs
            colWidths.append(w)
            colHeights.append(h)
        }
        let contentW = colWidths.reduce(0, +) + Double(max(ncol - 1, 0)) * Self.columnSpacing * fs
        var contentH = colHeights.max() ?? 0
        var titleExtent: TextExtent? = nil
        if let t = legend.title, !t.isEmpty {
            let e = measurer.measure(t, fontSize: fs, bold: false)
            titleExtent = e
            contentH += e.height + Self.labelSpacing * fs
        }
        let width = max(contentW, titleExtent?.width ?? 0) + 2 * Self.borderPad * fs
        let height = contentH + 2 * Self.borderPad * fs

        var out = LegendLayout(
            frame: Box(x: 0, y: 0, width: width, height: height), fontSize: fs, entries: [], title: nil,
            frameOn: legend.frameOn && theme.legendFrameOn, frameAlpha: legend.frameAlpha ?? theme.legendFrameAlpha,
            faceColor: legend.faceColor ?? theme.legendFaceColor, edgeColor: legend.edgeColor ?? theme.legendEdgeColor,
            fancyBox: theme.legendFancyBox,
            loc: legend.loc)
        // Entries relative to the frame's bottom-left.
        var x = Self.borderPad * fs
        let top = height - Self.borderPad * fs
        if let t = legend.title, let e = titleExtent {
            out.title = PlacedText(
                t, x: width / 2, y: top - e.height, fontSize: fs, color: theme.textColor, horizontalAlignment: .center,
                verticalAlignment: .bottom, measurer: measurer)
        }
        let entriesTop = top - (titleExtent.map { $0.height + Self.labelSpacing * fs } ?? 0)
        for (c, col) in columns.enumerated() {
            var y = entriesTop
            for (r, entry) in col.enumerated() {
                let m = rowMetrics(extents[c][r])
                let baseline = y - m.ascent
                let handle = Box(
                    x: x, y: baseline, width: Self.handleLength * fs, height: Self.handleHeight * fs)
                let label = PlacedText(
                    entry.0, x: x + (Self.handleLength + Self.handleTextPad) * fs, y: baseline, fontSize: fs,
                    color: theme.textColor, horizontalAlignment: .left, verticalAlignment: .baseline,
                    measurer: measurer)
                out.entries.append(LegendEntryLayout(handle: entry.1, handleBox: handle, label: label))
                y = baseline - m.descent - Self.labelSpacing * fs
            }
            x += colWidths[c] + Self.columnSpacing * fs
        }
        var loc = legend.loc
        if loc == 0, let obstacles {
            var best: (Int, Int)? = nil
            for candidate in 1...10 {
                let f = anchored(out.frame, loc: candidate, anchor: anchor, fontSize: fs)
                let bad = obstacles.badness(f)
                if bad == 0 {
                    best = (0, candidate)
                    break
                }
                if best == nil || bad < best?.0 ?? Int.max { best = (bad, candidate) }
            }
            loc = best?.1 ?? 1
        }
        if loc == 0 { return out }
        return place(out, loc: loc, anchor: anchor)
    }

    /// A legend at the places its `placement` gives (in fractions of `figure`).
    func placed(_ legend: Legend, entries: [(String, Mark)], placement p: LegendPlacement, figure: Box) -> LegendLayout
    {
        let fs = legend.fontSize ?? theme.legendFontSize
        func box(_ r: [Double]) -> Box {
            r.count == 4
                ? Box(
                    x: r[0] * figure.width, y: r[1] * figure.height, width: r[2] * figure.width,
                    height: r[3] * figure.height)
                : Box(x: 0, y: 0, width: 0, height: 0)
        }
        func label(_ text: String, _ at: [Double], size: Double? = nil) -> PlacedText {
            PlacedText(
                text, x: (at.first ?? 0) * figure.width, y: (at.count > 1 ? at[1] : 0) * figure.height,
                fontSize: size ?? fs,
                color: theme.textColor, horizontalAlignment: .left, verticalAlignment: .baseline, measurer: measurer)
        }
        var out = LegendLayout(
            frame: box(p.frame), fontSize: fs, entries: [], title: nil, frameOn: legend.frameOn && theme.legendFrameOn,
            frameAlpha: legend.frameAlpha ?? theme.legendFrameAlpha,
            faceColor: legend.faceColor ?? theme.legendFaceColor,
            edgeColor: legend.edgeColor ?? theme.legendEdgeColor, fancyBox: false, loc: legend.loc)
        if let t = legend.title, let at = p.title { out.title = label(t, at, size: p.titleFontSize) }
        for (i, entry) in entries.enumerated() where i < p.labels.count && i < p.handles.count {
            out.entries.append(
                LegendEntryLayout(handle: entry.1, handleBox: box(p.handles[i]), label: label(entry.0, p.labels[i])))
        }
        return out
    }

    /// Moves a sized legend (frame at the origin) to location `loc`.
    func place(_ legend: LegendLayout, loc: Int, anchor: Box) -> LegendLayout {
        var l = legend
        let f = anchored(legend.frame, loc: loc, anchor: anchor, fontSize: legend.fontSize)
        let dx = f.x - legend.frame.x
        let dy = f.y - legend.frame.y
        l.frame = f
        l.loc = loc
        func move(_ p: PlacedText) -> PlacedText { p.offsetBy(dx, dy) }
        l.title = legend.title.map(move)
        l.entries = legend.entries.map { e in
            var e = e
            e.handleBox.x += dx
            e.handleBox.y += dy
            e.label = move(e.label)
            return e
        }
        return l
    }

    /// `offsetbox._get_anchored_bbox`: the box at `loc` inside `anchor`
    /// shrunk by borderaxespad.
    func anchored(_ box: Box, loc: Int, anchor: Box, fontSize fs: Double) -> Box {
        let pad = Self.borderAxesPad * fs
        let l = anchor.x + pad
        let b = anchor.y + pad
        let w = anchor.width - 2 * pad
        let h = anchor.height - 2 * pad
        let (cx, cy): (Double, Double)
        switch loc {
        case 1: (cx, cy) = (1, 1)
        case 2: (cx, cy) = (0, 1)
        case 3: (cx, cy) = (0, 0)
        case 4: (cx, cy) = (1, 0)
        case 5, 7: (cx, cy) = (1, 0.5)
        case 6: (cx, cy) = (0, 0.5)
        case 8: (cx, cy) = (0.5, 0)
        case 9: (cx, cy) = (0.5, 1)
        default: (cx, cy) = (0.5, 0.5)
        }
        return Box(x: l + cx * (w - box.width), y: b + cy * (h - box.height), width: box.width, height: box.height)
    }
}
