import Foundation

// The static view's legend and margins as plotly.js lays them out:
// `legend/draw.js` (`computeLegendDimensions`, the legend's position) and
// `plots.js` (`autoMargin`/`doAutoMargin`: the legend and the widgets
// push the margins until they fit on the page). Pixels, y down from the top.

/// plotly's anchors as fractions of a box from its top left (`FROM_TL`).
func plotlyFromTopLeft(_ anchor: String) -> Double {
    switch anchor {
    case "center", "middle": return 0.5
    case "right", "bottom": return 1
    default: return 0
    }
}

/// A legend sized as plotly sizes it, its items relative to its top left.
struct PlotlyLegendBox {
    var width: Double
    var height: Double
    /// Per entry: the item's left and its vertical centre.
    var items: [(x: Double, y: Double)]
    var lineCounts: [Int]
    var fontSize: Double
    /// The title's baseline start, if the legend has a title.
    var title: (x: Double, y: Double)?
}

/// A margin push (`autoMargin`): an element at paper fractions that needs
/// `size` pixels on one side of it.
struct MarginPush {
    var leftAt: Double
    var left: Double
    var rightAt: Double
    var right: Double
    var bottomAt: Double
    var bottom: Double
    var topAt: Double
    var top: Double
}

extension StaticTranslator {
    /// plotly's legend item geometry (`legend/constants.js`).
    static let legendItemGap = 5.0
    static let legendItemWidth = 30.0
    static let legendTitlePad = 2.0
    static let lineSpacing = 1.3

    var legendObject: PlotObject { view.layout["legend"]?.objectValue ?? [:] }
    var legendHorizontal: Bool { legendObject["orientation"]?.stringValue == "h" }

    /// The legend's position and anchors (plotly's defaults and `auto` anchors).
    var legendAnchor: (x: Double, y: Double, xanchor: String, yanchor: String) {
        let lg = legendObject
        let x = lg["x"]?.numberValue ?? (legendHorizontal ? 0 : 1.02)
        let y = lg["y"]?.numberValue ?? (legendHorizontal ? -0.1 : 1)
        var xa = lg["xanchor"]?.stringValue ?? "left"
        if xa == "auto" { xa = Self.autoAnchor(x, low: "left", mid: "center", high: "right") }
        var ya = lg["yanchor"]?.stringValue ?? (legendHorizontal ? "top" : "auto")
        if ya == "auto" { ya = Self.autoAnchor(y, low: "bottom", mid: "middle", high: "top") }
        return (x, y, xa, ya)
    }

    /// The legend title's font size: plotly's default is the legend font's, 1.2 times, rounded.
    var legendTitleSize: Double {
        let fs = legendObject.value(at: "font.size")?.numberValue ?? 12
        return legendObject.value(at: "title.font.size")?.numberValue ?? (fs * 1.2).rounded()
    }

    var showsLegend: Bool { view.layout["showlegend"]?.boolValue != false && !legendEntries.isEmpty }

    /// plotly's `traceorder` 'grouped' (the default when traces have legend
    /// groups): every entry is a group of its own, groups `tracegroupgap` apart.
    var legendGrouped: Bool {
        if let order = legendObject["traceorder"]?.stringValue { return order.contains("grouped") }
        return !seenGroups.isEmpty
    }

    /// `computeLegendDimensions` (ungrouped items) for the current margins.
    func legendBox(measurer: some TextMeasurer) -> PlotlyLegendBox? {
        guard showsLegend else { return nil }
        let lg = legendObject
        let fs = lg.value(at: "font.size")?.numberValue ?? 12
        let border = lg["borderwidth"]?.numberValue ?? 0
        let gap = Self.legendItemGap
        let symbol = Self.legendItemWidth + 2 * gap
        let lines = legendEntries.map { $0.label.split(separator: "\n", omittingEmptySubsequences: false).count }
        let heights = lines.map { max(Double($0) * fs * Self.lineSpacing, 16) + 3 }
        let widths = legendEntries.map {
            measurer.measure($0.label, fontSize: fs * Self.px, bold: false).width / Self.px
        }
        // The title: to the left of a horizontal legend's items, above a vertical one's.
        let titleText = StaticFigure.plainText(lg.value(at: "title.text")?.stringValue ?? "")
        let side = lg.value(at: "title.side")?.stringValue ?? (legendHorizontal ? "left" : "top")
        var titleWidth = 0.0
        var titleHeight = 0.0
        if !titleText.isEmpty {
            let tfs = legendTitleSize
            titleWidth = measurer.measure(titleText, fontSize: tfs * Self.px, bold: false).width / Self.px
            if side == "left" { titleWidth += 2 * gap }
            titleHeight = tfs * Self.lineSpacing
        }
        let shift = (side.contains("left") ? titleWidth : 0, side.contains("top") ? titleHeight : 0)
        var items: [(x: Double, y: Double)] = []
        var width = 0.0
        var height = 0.0
        let groupGap = lg["tracegroupgap"]?.numberValue ?? 10
        if !legendHorizontal {
            for (i, h) in heights.enumerated() {
                let groupShift = legendGrouped ? Double(i) * groupGap : 0
                items.append((border + shift.0, border + shift.1 + height + h / 2 + gap + groupShift))
                height += h
                width = max(width, widths[i])
            }
            width += gap + symbol + 2 * border
            height += 2 * (border + gap) + (legendGrouped ? Double(max(heights.count - 1, 0)) * groupGap : 0)
        } else if legendGrouped {
            // Each group a column of one entry; a group that does not fit starts a row.
            let maxWidth = horizontalLegendWidth(symbol: symbol)
            let fraction = lg["entrywidthmode"]?.stringValue == "fraction"
            let entryWidth = lg["entrywidth"]?.numberValue ?? 0
            var rowHeight = 0.0
            var x = 0.0
            var rowTop = 0.0
            var widest = 0.0
            for (i, h) in heights.enumerated() {
                let w = (fraction ? maxWidth * entryWidth : symbol + (entryWidth > 0 ? entryWidth : widths[i])) + gap
                if x > 0, w + border + x > maxWidth {
                    widest = max(widest, x)
                    x = 0
                    rowTop += rowHeight + groupGap
                    rowHeight = h
                } else {
                    rowHeight = max(rowHeight, h)
                }
                items.append((shift.0 + x, shift.1 + rowTop + border + gap + h / 2))
                x += w
            }
            width = max(widest, x) + border
            height = rowTop + rowHeight + 2 * (border + gap)
        } else {
            let maxWidth = horizontalLegendWidth(symbol: symbol)
            let fraction = lg["entrywidthmode"]?.stringValue == "fraction"
            let entryWidth = lg["entrywidth"]?.numberValue ?? 0
            let ce = widths.map { fraction ? maxWidth * entryWidth : symbol + (entryWidth > 0 ? entryWidth : $0) }
            let longest = ce.max() ?? 0
            let oneRow = ce.reduce(0, +) + 2 * border + Double(ce.count - 1) * gap < maxWidth
            var rowHeight = 0.0
            var rowTop = 0.0
            var q = 0.0
            var widest = 0.0
            var end = 0.0
            for (i, h) in heights.enumerated() {
                var step = oneRow ? ce[i] : longest
                if !fraction { step += gap }
                if step + border + q - gap >= maxWidth {
                    widest = max(widest, end)
                    q = 0
                    rowTop += rowHeight
                    height += rowHeight
                    rowHeight = 0
                }
                items.append((shift.0 + border + q, shift.1 + border + rowTop + h / 2 + gap))
                end = q + ce[i] + gap
                q += step
                rowHeight = max(rowHeight, h)
            }
            if oneRow {
                width = q + 2 * border
                height = rowHeight + 2 * (border + gap)
            } else {
                width = max(widest, end) + 2 * border
                height += rowHeight + 2 * (border + gap)
            }
        }
        width = (max(width + shift.0, titleWidth + 2 * (border + Self.legendTitlePad))).rounded(.up)
        height = (max(height + shift.1, titleHeight + 2 * (border + gap))).rounded(.up)
        let title: (x: Double, y: Double)? =
            titleText.isEmpty ? nil : (border + Self.legendTitlePad, border + titleHeight)
        return PlotlyLegendBox(
            width: width, height: height, items: items, lineCounts: lines, fontSize: fs, title: title)
    }

    /// The width a horizontal legend's rows may take (`_maxWidth`).
    func horizontalLegendWidth(symbol: Double) -> Double {
        let (x, y, xa, ya) = legendAnchor
        let below = y < 0 || (y == 0 && ya == "top")
        let above = y > 1 || (y == 1 && ya == "bottom")
        let leftOf = x < 0 || (x == 0 && xa == "right")
        let rightOf = x > 1 || (x == 1 && xa == "left")
        let outside = below || above
        var maxWidth = plotWidth
        if leftOf { maxWidth = outside && xa == "left" ? left + plotWidth : width / 2 }
        if rightOf { maxWidth = outside && xa == "right" ? right + plotWidth : width / 2 }
        return max(maxWidth, 2 * symbol)
    }

    /// The legend's top left on the page (plotly keeps it on the page).
    func legendOrigin(_ box: PlotlyLegendBox) -> (x: Double, y: Double) {
        let (x, y, xa, ya) = legendAnchor
        let cx = left + plotWidth * x - plotlyFromTopLeft(xa) * box.width
        let cy = top + plotHeight * (1 - y) - plotlyFromTopLeft(ya) * box.height
        return (min(max(cx, 0), max(width - box.width, 0)), min(max(cy, 0), max(height - box.height, 0)))
    }

    /// The legend, laid out as plotly lays it out.
    func legend(measurer: some TextMeasurer) -> Legend? {
        guard let box = legendBox(measurer: measurer) else { return nil }
        let lg = legendObject
        let origin = legendOrigin(box)
        let fs = box.fontSize
        func fx(_ px: Double) -> Double { (origin.x + px) / width }
        func fy(_ px: Double) -> Double { (height - origin.y - px) / height }
        var labels: [[Double]] = []
        var handles: [[Double]] = []
        let handleHeight = 12.0
        for (i, item) in box.items.enumerated() {
            let lines = Double(box.lineCounts[i])
            // The first line's baseline 0.3 line heights below the centre; the layout anchors the last.
            let baseline = item.y + fs * Self.lineSpacing * (0.3 + (lines - 1) / 2)
            labels.append([fx(item.x + Self.legendItemWidth + 2 * Self.legendItemGap), fy(baseline)])
            handles.append([
                fx(item.x + Self.legendItemGap), fy(item.y + handleHeight / 2), Self.legendItemWidth / width,
                handleHeight / height,
            ])
        }
        var legend = Legend(
            loc: 2, bboxToAnchor: [fx(0), fy(0)], ncol: 1, fontSize: fs * Self.px, frameAlpha: 1,
            entries: legendEntries.map { LegendEntry(label: $0.label, handle: $0.handle) })
        legend.placement = LegendPlacement(
            frame: [fx(0), fy(box.height), box.width / width, box.height / height], labels: labels, handles: handles,
            title: box.title.map { [fx($0.x), fy($0.y)] }, titleFontSize: legendTitleSize * Self.px)
        let title = StaticFigure.plainText(lg.value(at: "title.text")?.stringValue ?? "")
        if !title.isEmpty { legend.title = title }
        let bg = StaticFigure.color(lg["bgcolor"]) ?? .white
        let borderWidth = lg["borderwidth"]?.numberValue ?? 0
        legend.frameOn = bg.alpha > 0 || borderWidth > 0
        legend.faceColor = bg
        legend.edgeColor =
            borderWidth > 0 ? (StaticFigure.color(lg["bordercolor"]) ?? StaticFigure.plotlyDefaultLine) : Color.none
        return legend
    }

    /// `doAutoMargin`'s pair: the margins at both ends of a page side that fit
    /// `low` pixels before paper fraction `lowAt` and `high` pixels after
    /// `highAt` (nil when the second does not lie beyond the first).
    static func margins(_ lowAt: Double, _ low: Double, _ highAt: Double, _ high: Double, page: Double) -> (
        Double, Double
    )? {
        guard highAt > lowAt else { return nil }
        let span = highAt - lowAt
        return (
            (low * highAt + (high - page) * lowAt) / span, (high * (1 - lowAt) + (low - page) * (1 - highAt)) / span
        )
    }

    /// plotly's `autoMargin` for the legend and the widgets, then
    /// `doAutoMargin`: the margins grow until every pushed element fits on the
    /// page (the legend's size depends on the plot's width, so a few rounds).
    mutating func pushMargins(measurer: some TextMeasurer) {
        let m = view.layout["margin"]?.objectValue ?? [:]
        let base = (
            l: m["l"]?.numberValue ?? 80, r: m["r"]?.numberValue ?? 80, t: m["t"]?.numberValue ?? 100,
            b: m["b"]?.numberValue ?? 80
        )
        guard m["autoexpand"]?.boolValue != false else { return }
        let pad = min(12, base.l, base.r, base.t, base.b)
        for _ in 0..<3 {
            var pushes: [MarginPush] = [
                MarginPush(
                    leftAt: 0, left: base.l, rightAt: 1, right: base.r, bottomAt: 0, bottom: base.b, topAt: 1,
                    top: base.t)
            ]
            var wanted: [MarginPush] = []
            if let box = legendBox(measurer: measurer) {
                let (x, y, xa, ya) = legendAnchor
                wanted.append(
                    MarginPush(
                        leftAt: x, left: box.width * plotlyFromTopLeft(xa), rightAt: x,
                        right: box.width * (1 - plotlyFromTopLeft(xa)), bottomAt: y,
                        bottom: box.height * (1 - plotlyFromTopLeft(ya)), topAt: y,
                        top: box.height * plotlyFromTopLeft(ya)))
            }
            wanted += widgetPushes(measurer: measurer)
            // `autoMargin`: a push wider (taller) than the page less the plot's least size is
            // scaled down to it, then gets the pad.
            let roomW = width - min(max(width - base.l - base.r, 2), 64)
            let roomH = height - min(max(height - base.t - base.b, 2), 64)
            for var p in wanted {
                if roomW > 0, (p.left + p.right) / roomW > 1 {
                    let m = (p.left + p.right) / roomW
                    (p.left, p.right) = (p.left / m, p.right / m)
                }
                if roomH > 0, (p.bottom + p.top) / roomH > 1 {
                    let m = (p.bottom + p.top) / roomH
                    (p.bottom, p.top) = (p.bottom / m, p.top / m)
                }
                (p.left, p.right, p.bottom, p.top) = (p.left + pad, p.right + pad, p.bottom + pad, p.top + pad)
                pushes.append(p)
            }
            var (l, r, t, b) = base
            for p in pushes {
                for q in pushes {
                    if let (o, s) = Self.margins(p.leftAt, p.left, q.rightAt, q.right, page: width), o + s > l + r {
                        (l, r) = (o, s)
                    }
                    if let (j, s) = Self.margins(p.bottomAt, p.bottom, q.topAt, q.top, page: height), j + s > b + t {
                        (b, t) = (j, s)
                    }
                }
            }
            // The plot keeps at least 64 px (or what the layout's margins leave it).
            if roomW > 0, (l + r) / roomW > 1 { (l, r) = (l * roomW / (l + r), r * roomW / (l + r)) }
            if roomH > 0, (b + t) / roomH > 1 { (b, t) = (b * roomH / (b + t), t * roomH / (b + t)) }
            (left, right, top, bottom) = (l.rounded(), r.rounded(), t.rounded(), b.rounded())
        }
    }
}
