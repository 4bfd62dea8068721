import Foundation
import FigureModel

/// Draws one unit's rows as figure-model marks, in its panel's scales.
struct MarkBuilder {
    let unit: Unit
    let x: PositionScale
    let y: PositionScale
    let scales: Scales
    let theme: Theme
    let config: Config

    var data: Dataset { unit.data }
    var mark: MarkDef { unit.mark }
    static let pointsPerPixel = FigureBuilder.pointsPerPixel

    func marks() throws(SpecError) -> [Mark] {
        switch mark.type {
        case .point, .circle, .square: return try points()
        case .line: return try lines()
        case .bar, .rect: return try bars()
        case .area: return try areas()
        case .rule: return try rules()
        case .tick: return try ticks()
        case .text: return try texts()
        case .errorbar: return try errorBars()
        case .errorband: return try errorBands()
        }
    }

    // MARK: - Values per row

    /// The coordinate of row `i` on a position channel (a band's centre for discrete scales).
    func coordinate(_ p: Position?, _ scale: PositionScale, _ i: Int, field: String? = nil, bandStart: Bool = false)
        -> Double?
    {
        guard let p else { return nil }
        if let f = field ?? p.start { return scale.coordinate(data.value(f, i), bandStart: bandStart) }
        if let d = p.datum { return scale.coordinate(d, bandStart: bandStart) }
        return nil
    }

    /// The constant color of the mark: `mark.color`, a color `value`, `config.mark.color`, or the theme's first color.
    func baseColor() throws(SpecError) -> Color {
        for c in [Channel.color, .fill, .stroke] {
            if let d = unit.def(c), d.field == nil, case .string(let s)? = d.value {
                guard let color = Palettes.css(s) else {
                    throw SpecError(SpecError.join(d.path, "value"), "\"\(s)\" is not a color")
                }
                return color
            }
        }
        if let s = mark.color ?? config.markColor {
            guard let color = Palettes.css(s) else {
                throw SpecError(unit.path.isEmpty ? "mark.color" : "\(unit.path).mark.color", "\"\(s)\" is not a color")
            }
            return color
        }
        return theme.colorCycle.first ?? .black
    }

    func color(_ i: Int, base: Color) -> Color {
        guard let scale = scales.color, let def = unit.def(scale.channel), def.dataField == scale.field else {
            return base
        }
        return scale.color(data.value(scale.field, i)) ?? base
    }

    /// The legend label of row `i`'s color category (plotly lists marks by it), or nil.
    func seriesLabel(_ i: Int) -> String? {
        guard let scale = scales.color, case .categorical = scale.kind, let def = unit.def(scale.channel),
            def.dataField == scale.field, !scale.legend.hidden
        else { return nil }
        let v = data.value(scale.field, i)
        if let format = scale.legend.format, case .number(let d) = v { return try? ScaleMath.format(d, format) }
        return v.text
    }

    func alpha(_ i: Int?) -> Double? {
        if let scale = scales.opacity, let def = unit.def(.opacity), def.dataField == scale.field, let i {
            return scale.amount(data.value(scale.field, i))
        }
        if let d = unit.def(.opacity), case .number(let v)? = d.value { return v }
        if let o = mark.opacity { return o }
        // Vega-Lite draws unaggregated points, circles, squares and ticks at 0.7 opacity.
        if [.point, .circle, .square, .tick].contains(mark.type),
            !unit.encoding.values.joined().contains(where: { $0.aggregate != nil })
        {
            return 0.7
        }
        if mark.type == .area { return 0.7 }
        return nil
    }

    func size(_ i: Int) -> Double? {
        if let scale = scales.size, let def = unit.def(.size), def.dataField == scale.field {
            return scale.amount(data.value(scale.field, i))
        }
        if let d = unit.def(.size), case .number(let v)? = d.value {
            return v * Self.pointsPerPixel * Self.pointsPerPixel
        }
        return mark.size.map { $0 * Self.pointsPerPixel * Self.pointsPerPixel }
    }

    func marker(_ i: Int) -> MarkerStyle {
        if let scale = scales.shape, let def = unit.def(.shape), def.dataField == scale.field,
            let k = scale.index(data.value(scale.field, i))
        {
            return ChannelScale.shapes[k % ChannelScale.shapes.count]
        }
        if let d = unit.def(.shape), case .string(let s)? = d.value {
            let names = [
                "circle", "square", "cross", "diamond", "triangle-up", "triangle-down", "triangle-right",
                "triangle-left",
            ]
            if let k = names.firstIndex(of: s) { return ChannelScale.shapes[k] }
        }
        return mark.type == .square ? .square : .circle
    }

    func dash(_ i: Int) -> LineStyle {
        if let scale = scales.dash, let def = unit.def(.strokeDash), def.dataField == scale.field,
            let k = scale.index(data.value(scale.field, i))
        {
            return ChannelScale.dashes[k % ChannelScale.dashes.count]
        }
        if let d = mark.strokeDash, d.count >= 2, d[1] > 0 { return d[0] <= 1.5 ? .dotted : .dashed }
        return .solid
    }

    /// Rows grouped into series by the grouping channels' fields, in first-appearance order.
    func series() -> [[Int]] {
        let fields =
            Channel.grouping.compactMap { c -> String? in
                guard let d = unit.def(c), d.field != nil || d.aggregate == .count else { return nil }
                if c == .size && (mark.type == .point || mark.type == .circle || mark.type == .square) { return nil }
                return d.dataField
            } + (unit.encoding[.detail] ?? []).compactMap(\.dataField)
        var unique: [String] = []
        for f in fields where !unique.contains(f) { unique.append(f) }
        return Grouping(data, by: unique).rows
    }

    /// Rows in the `order` channel's order, else along the dimension.
    func ordered(_ rows: [Int], along p: Position?, _ scale: PositionScale) -> [Int] {
        if let o = unit.def(.order), let f = o.dataField {
            let v = data.statistics(f)
            return rows.enumerated().sorted { a, b in
                let va = v[a.element] ?? .infinity
                let vb = v[b.element] ?? .infinity
                return va != vb ? va < vb : a.offset < b.offset
            }.map(\.element)
        }
        let keys = rows.map { coordinate(p, scale, $0) ?? .nan }
        return rows.indices.sorted { a, b in
            let ka = keys[a]
            let kb = keys[b]
            if ka.isNaN || kb.isNaN { return !ka.isNaN && kb.isNaN || (ka.isNaN == kb.isNaN && a < b) }
            return ka != kb ? ka < kb : a < b
        }.map { rows[$0] }
    }

    /// Tooltip text of row `i`: the encoded tooltip fields ("name: value" lines).
    func tooltip(_ i: Int) -> String? {
        var defs = unit.encoding[.tooltip] ?? []
        if mark.tooltipAll {
            defs = data.fields.map { f in
                var d = ChannelDef(); d.field = f; return d
            }
        }
        guard !defs.isEmpty else { return nil }
        return defs.compactMap { d -> String? in
            guard let f = d.dataField else { return nil }
            let v = data.value(f, i)
            var text = v.text
            if let format = d.format, case .number(let n) = v, let s = try? ScaleMath.format(n, format) { text = s }
            return "\(d.titleText): \(text)"
        }.joined(separator: "<br>")
    }

    // MARK: - Marks

    func points() throws(SpecError) -> [Mark] {
        let base = try baseColor()
        var out: [Mark] = []
        let filled = mark.filled ?? (mark.type != .point)
        for rows in series() {
            // One scatter per marker and opacity (the figure model draws one of each per scatter).
            var byStyle: [String: [Int]] = [:]
            var order: [String] = []
            for i in rows {
                let key = "\(marker(i).rawValue)|\(alpha(i) ?? -1)"
                if byStyle[key] == nil { order.append(key) }
                byStyle[key, default: []].append(i)
            }
            for key in order {
                guard let group = byStyle[key], let first = group.first else { continue }
                var xs: [Double] = []
                var ys: [Double] = []
                var colors: [Color] = []
                var sizes: [Double] = []
                var tips: [String] = []
                for i in group {
                    guard let px = coordinate(unit.x, x, i), let py = coordinate(unit.y, y, i) else { continue }
                    xs.append(px)
                    ys.append(py)
                    colors.append(color(i, base: base))
                    if let s = size(i) { sizes.append(s) }
                    if let t = tooltip(i) { tips.append(t) }
                }
                guard !xs.isEmpty else { continue }
                let uniformColor = Set(colors.map(\.hexRGBA)).count == 1
                let c = uniformColor ? [colors[0]] : colors
                // matplotlib's alpha replaces a color's own, so a hollow marker carries its opacity in its edge color.
                let a = alpha(first)
                var s = ScatterMark(
                    x: xs, y: ys, sizes: sizes.isEmpty ? nil : (Set(sizes).count == 1 ? [sizes[0]] : sizes),
                    colors: filled ? c : [.none], edgeColors: filled ? nil : c.map { $0.withAlpha(a ?? 1) },
                    marker: marker(first), alpha: filled ? a : nil)
                if !filled { s.lineWidths = [mark.strokeWidth.map { $0 * Self.pointsPerPixel } ?? 1.5] }
                if !tips.isEmpty { s.hoverTexts = tips }
                s.label = seriesLabel(first)
                out.append(.scatter(s))
            }
        }
        return out
    }

    func lines() throws(SpecError) -> [Mark] {
        let base = try baseColor()
        var out: [Mark] = []
        let vertical = unit.vertical ?? true
        for rows in series() {
            let sorted = vertical ? ordered(rows, along: unit.x, x) : ordered(rows, along: unit.y, y)
            var xs: [Double] = []
            var ys: [Double] = []
            var tips: [String] = []
            for i in sorted {
                guard let px = coordinate(unit.x, x, i), let py = coordinate(unit.y, y, i) else { continue }
                xs.append(px)
                ys.append(py)
                if let t = tooltip(i) { tips.append(t) }
            }
            guard let first = rows.first, !xs.isEmpty else { continue }
            var l = LineMark(x: xs, y: ys, color: color(first, base: base), lineStyle: dash(first))
            l.lineWidth = mark.strokeWidth.map { $0 * Self.pointsPerPixel }
            if mark.point { l.marker = .circle }
            l.alpha = alpha(first)
            if !tips.isEmpty { l.hoverTexts = tips }
            l.label = seriesLabel(first)
            out.append(.line(l))
        }
        return out
    }

    /// Bars and rects: one bar mark per color (the figure model colors a bar mark as one).
    func bars() throws(SpecError) -> [Mark] {
        let base = try baseColor()
        let vertical = unit.vertical ?? true
        struct Rect {
            var x0: Double, x1: Double, y0: Double, y1: Double
        }
        var byColor: [Color: [(Rect, Int)]] = [:]
        var order: [Color] = []
        for i in 0..<data.count {
            guard let r = rect(i, vertical: vertical) else { continue }
            let c = color(i, base: base)
            if byColor[c] == nil { order.append(c) }
            byColor[c, default: []].append((Rect(x0: r.0, x1: r.1, y0: r.2, y1: r.3), i))
        }
        var out: [Mark] = []
        for c in order {
            guard let rects = byColor[c], let first = rects.first else { continue }
            var b = BarMark(
                positions: rects.map { $0.0.x0 }, values: rects.map { $0.0.y1 - $0.0.y0 },
                widths: rects.map { $0.0.x1 - $0.0.x0 }, bottoms: rects.map { $0.0.y0 }, align: .edge, color: c,
                alpha: alpha(first.1))
            if !vertical {
                b = BarMark(
                    positions: rects.map { $0.0.y0 }, values: rects.map { $0.0.x1 - $0.0.x0 },
                    widths: rects.map { $0.0.y1 - $0.0.y0 }, bottoms: rects.map { $0.0.x0 }, align: .edge,
                    orientation: .horizontal, color: c, alpha: alpha(first.1))
            }
            if mark.type == .rect || unit.x?.binned == true || unit.y?.binned == true {
                b.lineWidth = 0
            }
            let tips = rects.compactMap { tooltip($0.1) }
            if !tips.isEmpty { b.hoverTexts = tips }
            b.label = seriesLabel(first.1)
            out.append(.bars(b))
        }
        return out
    }

    /// A bar's or rect's extent (x0, x1, y0, y1) in data coordinates.
    func rect(_ i: Int, vertical: Bool) -> (Double, Double, Double, Double)? {
        func span(_ p: Position?, _ scale: PositionScale, isDimension: Bool) -> (Double, Double)? {
            guard let p else {
                // No encoding: the whole axis.
                return (scale.lower, scale.upper)
            }
            if scale.isDiscrete {
                guard let s = coordinate(p, scale, i, bandStart: true) else { return nil }
                return (s, s + scale.bandwidth)
            }
            if let end = p.end {
                guard let a = coordinate(p, scale, i), let b = scale.coordinate(data.value(end, i)) else { return nil }
                if p.binned, mark.type == .bar {
                    // Vega-Lite's binSpacing: 1 pixel between bins.
                    let gap = scale.unitsPerPixel
                    return (min(a, b) + gap, max(a, b))
                }
                return (min(a, b), max(a, b))
            }
            guard let a = coordinate(p, scale, i) else { return nil }
            if isDimension {
                // Vega-Lite's continuous band size: 5 pixels for a bar on a continuous dimension.
                let half = 2.5 * scale.unitsPerPixel
                return (a - half, a + half)
            }
            // A bar's value starts at zero (or at the domain's start when zero is outside it).
            let baseline = max(min(0, max(scale.lower, scale.upper)), min(scale.lower, scale.upper))
            return (min(baseline, a), max(baseline, a))
        }
        if mark.type == .rect {
            guard let xs = span(unit.x, x, isDimension: true), let ys = span(unit.y, y, isDimension: true) else {
                return nil
            }
            return (xs.0, xs.1, ys.0, ys.1)
        }
        guard let xs = span(unit.x, x, isDimension: vertical), let ys = span(unit.y, y, isDimension: !vertical) else {
            return nil
        }
        return (xs.0, xs.1, ys.0, ys.1)
    }

    func areas() throws(SpecError) -> [Mark] {
        let base = try baseColor()
        var out: [Mark] = []
        let vertical = unit.vertical ?? true
        let value = vertical ? unit.y : unit.x
        let valueScale = vertical ? y : x
        for rows in series() {
            let sorted = vertical ? ordered(rows, along: unit.x, x) : ordered(rows, along: unit.y, y)
            var d: [Double] = []
            var lo: [Double] = []
            var hi: [Double] = []
            for i in sorted {
                guard let dim = vertical ? coordinate(unit.x, x, i) : coordinate(unit.y, y, i),
                    let top = coordinate(value, valueScale, i)
                else { continue }
                var bottom = max(
                    min(0, max(valueScale.lower, valueScale.upper)), min(valueScale.lower, valueScale.upper))
                if let end = value?.end, let e = valueScale.coordinate(data.value(end, i)) {
                    bottom = top
                    d.append(dim)
                    lo.append(bottom)
                    hi.append(e)
                    continue
                }
                d.append(dim)
                lo.append(bottom)
                hi.append(top)
            }
            guard let first = rows.first, !d.isEmpty else { continue }
            var f: FillMark
            if vertical {
                f = FillMark(band: d, lo, hi, color: color(first, base: base), alpha: alpha(first))
            } else {
                // A horizontal area: the polygon along y.
                f = FillMark(
                    polygon: hi + lo.reversed(), d + d.reversed(), color: color(first, base: base), alpha: alpha(first))
            }
            f.lineWidth = 0
            f.label = seriesLabel(first)
            out.append(.fill(f))
        }
        return out
    }

    func rules() throws(SpecError) -> [Mark] {
        let base = try baseColor()
        var out: [Mark] = []
        let width = mark.strokeWidth.map { $0 * Self.pointsPerPixel }
        for i in 0..<data.count {
            let c = color(i, base: base)
            let px = coordinate(unit.x, x, i)
            let py = coordinate(unit.y, y, i)
            let px2 = unit.x?.end.flatMap { x.coordinate(data.value($0, i)) }
            let py2 = unit.y?.end.flatMap { y.coordinate(data.value($0, i)) }
            if unit.x != nil && px == nil || unit.y != nil && py == nil { continue }
            switch (px, py) {
            case (let a?, nil):
                if let py2 { _ = py2 }
                var r = ReferenceLineMark(.vertical, at: a, color: c, lineStyle: dash(i), lineWidth: width)
                r.alpha = alpha(i)
                out.append(.referenceLine(r))
            case (nil, let b?):
                var r = ReferenceLineMark(.horizontal, at: b, color: c, lineStyle: dash(i), lineWidth: width)
                r.alpha = alpha(i)
                out.append(.referenceLine(r))
            case (let a?, let b?):
                let (xs, ys): ([Double], [Double])
                if let px2 {
                    (xs, ys) = ([a, px2], [b, py2 ?? b])
                } else if let py2 {
                    (xs, ys) = ([a, a], [b, py2])
                } else if unit.vertical ?? true {
                    (xs, ys) = ([a, a], [max(min(0, y.upper), y.lower), b])
                } else {
                    (xs, ys) = ([max(min(0, x.upper), x.lower), a], [b, b])
                }
                var l = LineMark(x: xs, y: ys, color: c, lineStyle: dash(i), lineWidth: width)
                l.alpha = alpha(i)
                out.append(.line(l))
            default:
                continue
            }
        }
        return out
    }

    func ticks() throws(SpecError) -> [Mark] {
        let base = try baseColor()
        // A tick crosses the continuous axis: vertical ticks along x, horizontal along y.
        let alongX =
            !(unit.x.map { x.isDiscrete && $0.start != nil } ?? false)
            && (unit.y == nil || y.isDiscrete || unit.vertical == false)
        var xs: [Double] = []
        var ys: [Double] = []
        var colors: [Color] = []
        for i in 0..<data.count {
            let px = coordinate(unit.x, x, i) ?? (x.lower + x.upper) / 2
            let py = coordinate(unit.y, y, i) ?? (y.lower + y.upper) / 2
            if unit.x != nil && coordinate(unit.x, x, i) == nil || unit.y != nil && coordinate(unit.y, y, i) == nil {
                continue
            }
            xs.append(px)
            ys.append(py)
            colors.append(color(i, base: base))
        }
        guard !xs.isEmpty else { return [] }
        // Vega-Lite's tick: 3/4 of the band (or 18 px), 1 px thick.
        let crossScale = alongX ? y : x
        let lengthPx =
            crossScale.isDiscrete ? 0.75 * crossScale.pixels / max(crossScale.upper - crossScale.lower, 1) : 18
        let lengthPt = lengthPx * Self.pointsPerPixel
        var s = ScatterMark(
            x: xs, y: ys, sizes: [lengthPt * lengthPt], colors: Set(colors).count == 1 ? [colors[0]] : colors,
            marker: alongX ? .vline : .hline, alpha: alpha(0))
        s.edgeColors = s.colors
        s.lineWidths = [(mark.thickness ?? 1) * Self.pointsPerPixel * 1.5]
        return [.scatter(s)]
    }

    func texts() throws(SpecError) -> [Mark] {
        let base = try baseColor()
        var out: [Mark] = []
        let textDef = unit.def(.text)
        for i in 0..<data.count {
            var text = mark.text ?? ""
            if let d = textDef {
                if let f = d.dataField {
                    let v = data.value(f, i)
                    if let format = d.format, case .number(let n) = v {
                        text = try ScaleMath.format(n, format, path: SpecError.join(d.path, "format"))
                    } else {
                        text = v.text
                    }
                } else if let v = d.value ?? d.datum {
                    text = v.text
                }
            }
            let px = coordinate(unit.x, x, i) ?? (x.isDiscrete ? (x.lower + x.upper) / 2 : nil)
            let py = coordinate(unit.y, y, i) ?? (y.isDiscrete ? (y.lower + y.upper) / 2 : nil)
            if unit.x != nil && coordinate(unit.x, x, i) == nil || unit.y != nil && coordinate(unit.y, y, i) == nil {
                continue
            }
            var t: TextMark
            if let px, let py {
                t = TextMark(text, x: px, y: py)
            } else {
                // Unencoded position: the middle of the axes along that channel.
                t = TextMark(text, x: px ?? 0.5, y: py ?? 0.5, coordinates: px == nil ? .axes : .data)
                if px != nil, py == nil { t.yCoordinates = .axes }
                if px == nil, py != nil { t.coordinates = .axes; t.yCoordinates = .data }
            }
            t.color = color(
                i, base: textDef?.field == nil ? (mark.color.flatMap(Palettes.css) ?? theme.textColor) : base)
            if scales.color == nil || unit.def(.color) == nil {
                t.color = mark.color.flatMap(Palettes.css) ?? theme.textColor
            }
            t.fontSize = mark.fontSize
            t.horizontalAlignment = HorizontalAlignment(rawValue: mark.align ?? "center") ?? .center
            switch mark.baseline ?? "middle" {
            case "top", "line-top": t.verticalAlignment = .top
            case "bottom", "line-bottom": t.verticalAlignment = .bottom
            case "alphabetic": t.verticalAlignment = .baseline
            default: t.verticalAlignment = .center
            }
            if mark.dx != 0 { t.offsetX = mark.dx * Self.pointsPerPixel }
            if mark.dy != 0 { t.offsetY = -mark.dy * Self.pointsPerPixel }
            t.rotation = -mark.angle
            t.alpha = alpha(i)
            out.append(.text(t))
        }
        return out
    }

    /// An errorbar's or errorband's rows: the position along the other
    /// channel (nil when it has none) and the summary's centre, lower and
    /// upper ends along the continuous one; rows missing an end are left out.
    func errorRows(_ rows: [Int], channel: Channel) -> [(
        row: Int, other: Double?, center: Double, lo: Double, hi: Double
    )] {
        let value = channel == .y ? unit.y : unit.x
        let scale = channel == .y ? y : x
        return rows.compactMap { i in
            guard let lo = value?.lower.flatMap({ scale.coordinate(data.value($0, i)) }),
                let hi = value?.upper.flatMap({ scale.coordinate(data.value($0, i)) })
            else { return nil }
            let center = (value?.start.flatMap { scale.coordinate(data.value($0, i)) }) ?? (lo + hi) / 2
            let other = channel == .y ? coordinate(unit.x, x, i) : coordinate(unit.y, y, i)
            return (i, other, center, min(lo, hi), max(lo, hi))
        }
    }

    func errorBars() throws(SpecError) -> [Mark] {
        let base = try baseColor()
        guard let channel = unit.errorChannel else { return [] }
        let otherScale = channel == .y ? x : y
        var out: [Mark] = []
        for rows in series() {
            let summary = errorRows(rows, channel: channel)
            guard let first = rows.first, !summary.isEmpty else { continue }
            let others = summary.map { $0.other ?? (otherScale.lower + otherScale.upper) / 2 }
            let centers = summary.map(\.center)
            var e = channel == .y ? ErrorBarMark(x: others, y: centers) : ErrorBarMark(x: centers, y: others)
            let lower = summary.map { max(0, $0.center - $0.lo) }
            let upper = summary.map { max(0, $0.hi - $0.center) }
            if channel == .y {
                e.yErrLower = lower
                e.yErrUpper = upper
            } else {
                e.xErrLower = lower
                e.xErrUpper = upper
            }
            e.color = color(first, base: base)
            e.ecolor = e.color
            e.lineStyle = .none
            e.capSize = mark.ticks ? 3 : 0
            e.elineWidth = mark.strokeWidth.map { $0 * Self.pointsPerPixel }
            e.alpha = alpha(first)
            e.label = seriesLabel(first)
            out.append(.errorBar(e))
        }
        return out
    }

    func errorBands() throws(SpecError) -> [Mark] {
        let base = try baseColor()
        guard let channel = unit.errorChannel else { return [] }
        var out: [Mark] = []
        for rows in series() {
            let sorted = channel == .y ? ordered(rows, along: unit.x, x) : ordered(rows, along: unit.y, y)
            let summary = errorRows(sorted, channel: channel).filter { $0.other != nil }
            guard let first = rows.first, !summary.isEmpty else { continue }
            let d = summary.compactMap(\.other)
            let lo = summary.map(\.lo)
            let hi = summary.map(\.hi)
            var f: FillMark
            if channel == .y {
                f = FillMark(band: d, lo, hi, color: color(first, base: base), alpha: mark.opacity ?? 0.3)
            } else {
                f = FillMark(
                    polygon: hi + lo.reversed(), d + d.reversed(), color: color(first, base: base),
                    alpha: mark.opacity ?? 0.3)
            }
            f.lineWidth = 0
            f.label = seriesLabel(first)
            out.append(.fill(f))
        }
        return out
    }
}
