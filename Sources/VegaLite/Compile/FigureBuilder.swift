import Foundation
import FigureModel

/// Turns the compiled grid of panels into a `Figure`: resolves the scales
/// (shared within their groups), draws each unit's marks, and adds axes,
/// legends and titles.
struct FigureBuilder {
    let state: CompileState
    let grid: PanelGrid
    let root: SpecNode

    var theme: Theme { state.theme }
    var config: Config { state.config }

    /// Points per pixel (a pixel is 1/100 in, a point 1/72 in).
    static let pointsPerPixel = 0.72

    func build() throws(SpecError) -> Figure {
        let panels = grid.panels
        let sizes = panelSizes()
        var xScales: [Int: PositionScale] = [:]
        var yScales: [Int: PositionScale] = [:]
        // Each group's scale, over every panel of the group.
        func resolve(_ channel: Channel, _ group: (Panel) -> Int, into scales: inout [Int: PositionScale])
            throws(SpecError)
        {
            for p in panels where scales[group(p)] == nil {
                let members = panels.filter { group($0) == group(p) }
                let horizontal = channel == .x
                var scale = try positionScale(channel, members, pixels: horizontal ? sizes.width(p) : sizes.height(p))
                if state.removesOverlappingLabels {
                    scale.removeOverlappingLabels(
                        horizontal: horizontal, fontSize: horizontal ? theme.xTickLabelSize : theme.yTickLabelSize,
                        measurer: state.measurer)
                }
                scales[group(p)] = scale
            }
        }
        try resolve(.x, { $0.xGroup }, into: &xScales)
        try resolve(.y, { $0.yGroup }, into: &yScales)
        let units = panels.flatMap(\.units)
        let colors = try colorScale(units)
        let shape = try channelScale(.shape, units)
        let dash = try channelScale(.strokeDash, units)
        let size = try channelScale(.size, units)
        let opacity = try channelScale(.opacity, units)
        let scales = Scales(color: colors, shape: shape, dash: dash, size: size, opacity: opacity)

        let rows = max(1, grid.rows)
        let cols = max(1, grid.cols)
        var figure = Figure(
            widthInches: 1, heightInches: 1, dpi: VegaLiteCompiler.pixelsPerInch, theme: theme, rows: rows, cols: cols)
        var titles: Titles?
        if let n = root["title"] { titles = try Titles.parse(n) }
        var legendPlaced = false
        for r in 0..<rows {
            for c in 0..<cols {
                let index = r * cols + c
                guard r < grid.cells.count, c < grid.cells[r].count, let panel = grid.cells[r][c],
                    let xs = xScales[panel.xGroup], let ys = yScales[panel.yGroup]
                else {
                    figure.axes[index].axisOn = false
                    continue
                }
                var ax = Axes()
                ax.x = xs.axis()
                ax.y = ys.axis()
                if let size = config.axisLabelFontSize { ax.x.labelFontSize = size; ax.y.labelFontSize = size }
                if let t = config.axisTitleFontSize { ax.x.labelFontSize = t; ax.y.labelFontSize = t }
                ax.title = panel.title ?? ""
                let gridOn = xs.gridOn ?? ys.gridOn ?? config.axisGrid
                if let gridOn, gridOn != theme.gridOn {
                    ax.grid = gridOn ? Grid(which: .major, axis: gridAxis(xs, ys)) : nil
                    if !gridOn { ax.grid = Grid(which: .major, axis: .both, alpha: 0) }
                }
                for unit in panel.units {
                    ax.marks += try MarkBuilder(unit: unit, x: xs, y: ys, scales: scales, theme: theme, config: config)
                        .marks()
                }
                if !legendPlaced, let legend = try legend(scales, units) {
                    if panels.count == 1 {
                        ax.legend = legend
                    } else {
                        var l = legend
                        l.loc = 6
                        l.bboxToAnchor = [1.0, 0.5]
                        figure.legends.append(l)
                    }
                    legendPlaced = true
                }
                figure.axes[index] = ax
            }
        }
        if let titles {
            if panels.count == 1, let i = figure.axes.firstIndex(where: { $0.axisOn }) {
                figure.axes[i].title = titles.combined
            } else {
                figure.suptitle = titles.combined
                figure.suptitleFontSize = config.titleFontSize
            }
        }
        if let t = config.titleFontSize { for i in figure.axes.indices { figure.axes[i].titleFontSize = t } }
        // The figure: each panel's plot area at its pixel size, plus room for the decorations.
        let colWidths = (0..<cols).map { c in
            grid.cells.compactMap { c < $0.count ? $0[c] : nil }.map(sizes.width).max() ?? config.continuousWidth
        }
        let rowHeights = grid.cells.map { row in
            row.compactMap { $0 }.map(sizes.height).max() ?? config.continuousHeight
        }
        let ppi = VegaLiteCompiler.pixelsPerInch
        let legends = figure.legends + figure.axes.compactMap(\.legend)
        let legendWidth = legends.map(legendWidthInches).max() ?? 0
        let outside = legends.contains { $0.bboxToAnchor.map { $0[0] > 1 || $0[0] < 0 } ?? false }
        let hasLegend = outside && legendWidth > 0
        let extra = hasLegend ? legendWidth + 0.2 : 0
        figure.widthInches = colWidths.reduce(0, +) / ppi + Double(cols) * 1.0 + 0.3 + extra
        figure.heightInches = rowHeights.reduce(0, +) / ppi + Double(rows) * 0.9 + 0.2 + (titles == nil ? 0 : 0.4)
        // tight_layout counts an axes' own legend; a figure legend needs the room kept for it.
        let figureLegend = hasLegend && !figure.legends.isEmpty
        figure.layout = .tight(pad: 1.08, rect: figureLegend ? [0, 0, 1 - extra / figure.widthInches, 1] : nil)
        return figure
    }

    /// A legend's width as the theme draws it: its widest label or title,
    /// the handle, and matplotlib's paddings (in font sizes).
    func legendWidthInches(_ legend: Legend) -> Double {
        let size = legend.fontSize ?? theme.legendFontSize
        func width(_ text: String) -> Double {
            text.split(separator: "\n").map { line in
                state.measurer?.measure(String(line), fontSize: size, bold: false).width ?? Double(line.count) * size
                    * 0.6
            }.max() ?? 0
        }
        let labels = (legend.entries ?? []).map { width($0.label) }.max() ?? 0
        let title = legend.title.map(width) ?? 0
        // handlelength 2 + handletextpad 0.8 + borderpad 0.4 ×2 + borderaxespad 0.5, in font sizes.
        let columns = Double(max(1, legend.ncol))
        let body = columns * (labels + 2.8 * size) + 1.3 * size
        return max(body, title + 1.3 * size) / 72
    }

    func gridAxis(_ x: PositionScale, _ y: PositionScale) -> Grid.Axis {
        switch (x.gridOn ?? !x.isDiscrete, y.gridOn ?? !y.isDiscrete) {
        case (true, false): .x
        case (false, true): .y
        default: .both
        }
    }

    /// Every panel's plot size in pixels: `width`/`height`, or Vega-Lite's
    /// defaults (300 for continuous, 20 per discrete step).
    func panelSizes() -> (width: (Panel) -> Double, height: (Panel) -> Double) {
        let config = self.config
        func discreteCount(_ p: Panel, _ c: Channel) -> Int? {
            var values: Set<FieldValue> = []
            var any = false
            for u in p.units {
                guard let pos = u.position(c), pos.isDiscrete, let f = pos.start else { continue }
                any = true
                if let col = u.data[f] { for i in 0..<u.data.count { values.insert(col[i]) } }
            }
            return any ? values.count : nil
        }
        return (
            { p in
                p.width ?? discreteCount(p, .x).map { max(1, Double($0)) * config.discreteStep }
                    ?? config.continuousWidth
            },
            { p in
                p.height ?? discreteCount(p, .y).map { max(1, Double($0)) * config.discreteStep }
                    ?? config.continuousHeight
            }
        )
    }

    // MARK: - Position scales

    func positionScale(_ channel: Channel, _ panels: [Panel], pixels: Double) throws(SpecError) -> PositionScale {
        let units = panels.flatMap(\.units)
        let positions = units.compactMap { u in u.position(channel).map { (u, $0) } }
        let defs = positions.map(\.1.def)
        let title = axisTitle(positions.map(\.1), units: units, channel: channel)
        let axisDef = defs.first(where: { $0.axis != AxisDef() })?.axis ?? AxisDef()
        let scaleDef = defs.first(where: { $0.scale != ScaleDef() })?.scale ?? ScaleDef()
        guard !positions.isEmpty else {
            return PositionScale(
                kind: .continuous(.linear), lower: 0, upper: 1, reverse: false, ticks: [], labels: [], title: "",
                pixels: pixels, gridOn: false, labelAngle: nil, showLabels: false, hidden: true)
        }
        if positions.contains(where: { $0.1.isDiscrete }) {
            return try discreteScale(
                channel, positions, scaleDef: scaleDef, axisDef: axisDef, title: title, pixels: pixels)
        }
        let path = defs.first?.path ?? ""
        let kind = try continuousKind(scaleDef, path: path)
        var domain: (Double, Double)
        var explicit = false
        if let given = scaleDef.domain {
            let numbers = given.compactMap(\.statistic)
            guard numbers.count == 2, given.count == 2 else {
                throw SpecError(SpecError.join(path, "scale.domain"), "expected [min, max] for a continuous scale")
            }
            domain = (numbers[0], numbers[1])
            explicit = true
        } else {
            var isLog = false
            if case .log = kind { isLog = true }
            let pairs = positions.map { u, p in (u.data, p.extentFields) }
            var extent = Domains.extent(pairs, positiveOnly: isLog)
            for (_, p) in positions {
                if let d = p.datum?.statistic { extent = extent.map { (min($0.0, d), max($0.1, d)) } ?? (d, d) }
            }
            domain = extent ?? (0, 1)
            // A binned field's scale spans its bins, [start, stop] (Vega-Lite's bin extent signal).
            let binDomains = positions.compactMap { u, p in
                p.binned ? p.start.flatMap { u.binBoundaries[$0]?.domain } : nil
            }
            if let first = binDomains.first {
                domain = binDomains.reduce(first) { (min($0.0, $1.0), max($0.1, $1.1)) }
            }
        }
        let binned = positions.contains { $0.1.binned }
        let type = ScaleMath.type(kind)
        let defaultsChannel: VegaLiteScaleDefaults.Channel = channel == .x ? .x : .y
        let givenDomain: VegaLiteScaleDefaults.Domain = explicit ? .values(first: domain.0, last: domain.1) : .none
        if !explicit {
            // Vega-Lite's zero: the scale holds 0 when a view asks for it.
            let zeroDefault = positions.contains { u, p in
                VegaLiteScaleDefaults.zero(
                    channel: defaultsChannel, scaleType: type, fieldIsBinned: p.binned,
                    markType: Self.normalizedMark(u.mark.type), orient: u.vertical.map { $0 ? .vertical : .horizontal },
                    domain: givenDomain) == true
            }
            if scaleDef.zero ?? zeroDefault {
                domain = (min(domain.0, 0), max(domain.1, 0))
            }
        }
        if domain.0 == domain.1 {
            // Vega's single-value domain: d3 nices it to the value's neighbours.
            domain = domain.0 == 0 ? (0, 1) : (domain.0 - abs(domain.0) * 0.5, domain.1 + abs(domain.1) * 0.5)
        }
        let nice =
            scaleDef.nice ?? VegaLiteScaleDefaults.nice(
                channel: defaultsChannel, fieldIsBinned: binned, domain: givenDomain) ?? false
        if nice {
            domain = ScaleMath.nice(kind, domain, count: scaleDef.niceCount ?? 10)
        }
        let format = axisDef.format ?? defs.first(where: { $0.format != nil })?.format
        let values = axisDef.values?.compactMap(\.statistic)
        var bins: [Double]?
        if binned {
            bins = positions.lazy.compactMap { u, p in p.start.flatMap { u.binBoundaries[$0]?.ticks } }.first
        }
        let count =
            axisDef.tickCount
            ?? VegaLiteScaleDefaults.axisTickCount(
                scaleType: type, size: pixels, fieldIsBinned: binned, hasValues: values != nil)
        let ticks = try ScaleMath.ticks(
            kind, domain, pixels: pixels, count: count, values: values, bins: bins, format: format,
            path: SpecError.join(path, axisDef.format != nil ? "axis.format" : "format"))
        return PositionScale(
            kind: .continuous(kind), lower: domain.0, upper: domain.1, reverse: scaleDef.reverse,
            ticks: ticks.map(\.value), labels: ticks.map(\.label), title: title, pixels: pixels, gridOn: axisDef.grid,
            labelAngle: axisDef.labelAngle, showLabels: axisDef.labels, hidden: axisDef.hidden)
    }

    /// The mark Vega-Lite's scale defaults see: composite marks as the marks they expand to.
    static func normalizedMark(_ m: MarkType) -> String {
        switch m {
        case .errorbar: "rule"
        case .errorband: "area"
        default: m.rawValue
        }
    }

    func continuousKind(_ s: ScaleDef, path: String) throws(SpecError) -> ContinuousScale.Kind {
        switch s.type {
        case nil, .linear?: return .linear
        case .log?:
            guard s.base > 0, s.base != 1 else {
                throw SpecError(SpecError.join(path, "scale.base"), "must be positive and not 1")
            }
            return .log(base: s.base)
        case .pow?: return .pow(exponent: s.exponent)
        case .sqrt?: return .pow(exponent: 0.5)
        case .symlog?: return .symlog(constant: s.constant)
        case .band?, .point?, .ordinal?:
            throw SpecError(
                SpecError.join(path, "scale.type"), "\"\(s.type?.rawValue ?? "")\" needs a nominal or ordinal field")
        }
    }

    func discreteScale(
        _ channel: Channel, _ positions: [(Unit, Position)], scaleDef: ScaleDef, axisDef: AxisDef, title: String,
        pixels: Double
    ) throws(SpecError) -> PositionScale {
        var values: [FieldValue]
        if let given = scaleDef.domain {
            values = given
        } else {
            let def = positions[0].1.def
            let pairs = positions.compactMap { u, p in p.start.map { (u.data, $0) } }
            values = []
            var seen: Set<FieldValue> = []
            for (data, field) in pairs {
                for v in Domains.discrete([data], field: field, sort: def.sort) where seen.insert(v).inserted {
                    values.append(v)
                }
            }
            switch def.sort {
            case .ascending: values.sort(by: Domains.less)
            case .values(let given):
                values =
                    given.filter { seen.contains($0) } + values.filter { !given.contains($0) }.sorted(by: Domains.less)
            case .descending: values.sort { Domains.less($1, $0) }
            case .none: break
            case .byEncoding(let other, let descending):
                values = sortBy(
                    values, positions: positions, channel: other, op: nil, field: nil, descending: descending)
            case .byField(let op, let field, let descending):
                values = sortBy(
                    values, positions: positions, channel: nil, op: op, field: field, descending: descending)
            }
        }
        let isBand = positions.contains { [.bar, .rect, .tick].contains($0.0.mark.type) }
        let isRect = positions.contains { $0.0.mark.type == .rect }
        let n = Double(values.count)
        let offset: Double
        let bandwidth: Double
        let total: Double
        if isBand {
            let inner = scaleDef.paddingInner ?? scaleDef.padding ?? (isRect ? 0 : 0.1)
            let outer = scaleDef.paddingOuter ?? scaleDef.padding ?? inner / 2
            total = max(n - inner + 2 * outer, 1e-9)
            offset = outer
            bandwidth = 1 - inner
        } else {
            let padding = scaleDef.padding ?? 0.5
            total = max(n - 1 + 2 * padding, 1e-9)
            offset = padding
            bandwidth = 0
        }
        var index: [FieldValue: Int] = [:]
        for (i, v) in values.enumerated() { index[v] = i }
        let ticks = values.indices.map { offset + Double($0) + bandwidth / 2 }
        let format = axisDef.format
        var labels: [String] = []
        for v in values {
            if let format, let d = v.statistic, case .number = v {
                labels.append(
                    try ScaleMath.format(d, format, path: SpecError.join(positions[0].1.def.path, "axis.format")))
            } else {
                labels.append(v.text)
            }
        }
        var angle = axisDef.labelAngle
        if angle == nil, channel == .x {
            // Vega-Lite turns the labels of a discrete x axis vertical (270°) by default.
            angle = 270
        }
        var scale = PositionScale(
            kind: .discrete(values: values, index: index, offset: offset, bandwidth: bandwidth), lower: 0, upper: total,
            reverse: scaleDef.reverse, ticks: ticks, labels: labels, title: title, pixels: pixels,
            gridOn: axisDef.grid, labelAngle: angle, showLabels: axisDef.labels, hidden: axisDef.hidden)
        scale.topDown = channel == .y
        return scale
    }

    /// Orders categories by another channel's values (summed) or by `op(field)`.
    func sortBy(
        _ values: [FieldValue], positions: [(Unit, Position)], channel: Channel?, op: AggregateOp?, field: String?,
        descending: Bool
    ) -> [FieldValue] {
        var samples: [FieldValue: [Double?]] = [:]
        for (u, p) in positions {
            guard let key = p.start else { continue }
            let measure: String? = channel.flatMap { u.position($0)?.start ?? u.def($0)?.dataField } ?? field
            let numbers = measure.map { u.data.statistics($0) } ?? Array(repeating: 1, count: u.data.count)
            for i in 0..<u.data.count { samples[u.data.value(key, i), default: []].append(numbers[i]) }
        }
        let op = op ?? .sum
        let score: [FieldValue: Double] = samples.mapValues { op.apply($0) ?? -.infinity }
        return values.enumerated().sorted { a, b in
            let sa = score[a.element] ?? -.infinity
            let sb = score[b.element] ?? -.infinity
            if sa != sb { return descending ? sa > sb : sa < sb }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The axis title: the given one, or the fields' default titles joined.
    func axisTitle(_ positions: [Position], units: [Unit], channel: Channel) -> String {
        if let t = positions.first(where: { $0.def.axis.title != nil })?.def.axis.title {
            return t.joined(separator: "\n")
        }
        if let t = positions.first(where: { $0.def.title != nil })?.def.title { return t.joined(separator: "\n") }
        var titles: [String] = []
        for p in positions {
            var t = p.def.defaultTitle
            if p.lower != nil, p.def.aggregate == nil, p.start?.hasPrefix("center_") == true {
                t = p.def.field ?? t
            }
            if !titles.contains(t) { titles.append(t) }
        }
        for u in units {
            let second = channel == .x ? u.def(.x2) : u.def(.y2)
            if let s = second, s.field != nil, u.def(channel)?.bin == nil {
                let t = s.defaultTitle
                if !titles.contains(t) { titles.append(t) }
            }
        }
        return titles.joined(separator: ", ")
    }

    // MARK: - Other scales

    func colorScale(_ units: [Unit]) throws(SpecError) -> ColorScale? {
        var found: (Channel, ChannelDef)?
        for u in units {
            for c in [Channel.color, .fill, .stroke] {
                if let d = u.def(c), d.field != nil || d.aggregate == .count { found = found ?? (c, d) }
            }
        }
        guard let (channel, def) = found, let field = def.dataField else { return nil }
        let title = def.legend.title?.joined(separator: "\n") ?? def.title?.joined(separator: "\n") ?? def.defaultTitle
        let matching = units.filter { $0.def(channel)?.dataField == field }
        if def.scaleDisabled {
            var hidden = LegendDef()
            hidden.hidden = true
            return ColorScale(kind: .identity, field: field, title: title, legend: hidden, channel: channel)
        }
        if def.type == .quantitative {
            var domain: (Double, Double)
            if let given = def.scale.domain?.compactMap(\.statistic), given.count == 2 {
                domain = (given[0], given[1])
            } else {
                domain = Domains.extent(matching.map { ($0.data, [field]) }) ?? (0, 1)
                if def.bin != nil, let end = def.binEndField {
                    domain = Domains.extent(matching.map { ($0.data, [field, end]) }) ?? domain
                }
            }
            let scheme = def.scale.scheme ?? "viridis"
            guard var stops = Palettes.continuous(scheme) else {
                throw SpecError(
                    SpecError.join(def.path, "scale.scheme"),
                    "\"\(scheme)\" is not supported for quantitative colors (supported: \(Palettes.continuousNames.joined(separator: ", ")))"
                )
            }
            if let range = def.scale.range {
                stops = try range.enumerated().map { i, v throws(SpecError) in
                    try cssColor(v, path: SpecError.join(SpecError.join(def.path, "scale.range"), i))
                }
            }
            if def.scale.reverse { stops.reverse() }
            return ColorScale(
                kind: .continuous(domain: domain, stops: stops), field: field, title: title, legend: def.legend,
                channel: channel)
        }
        var values = def.scale.domain ?? []
        if values.isEmpty {
            var seen: Set<FieldValue> = []
            for u in matching {
                for v in Domains.discrete([u.data], field: field, sort: .none) where seen.insert(v).inserted {
                    values.append(v)
                }
            }
            switch def.sort {
            case .descending: values.sort { Domains.less($1, $0) }
            case .none: break
            case .values(let given):
                values =
                    given.filter { seen.contains($0) } + values.filter { !given.contains($0) }.sorted(by: Domains.less)
            default: values.sort(by: Domains.less)
            }
        }
        var colors: [Color]
        if let range = def.scale.range {
            colors = try range.enumerated().map { i, v throws(SpecError) in
                try cssColor(v, path: SpecError.join(SpecError.join(def.path, "scale.range"), i))
            }
        } else if let scheme = def.scale.scheme ?? config.categoryScheme {
            guard let c = Palettes.categorical(scheme, theme: theme) else {
                throw SpecError(
                    def.scale.scheme != nil ? SpecError.join(def.path, "scale.scheme") : "config.range.category",
                    "\"\(scheme)\" is not supported (supported: \(Palettes.categoricalNames.joined(separator: ", ")))")
            }
            colors = c
        } else if let list = config.categoryColors {
            colors = try list.enumerated().map { i, s throws(SpecError) in
                try cssColor(.string(s), path: "config.range.category[\(i)]")
            }
        } else {
            colors = theme.colorCycle
        }
        if def.scale.reverse { values.reverse() }
        return ColorScale(
            kind: .categorical(values: values, colors: colors), field: field, title: title, legend: def.legend,
            channel: channel)
    }

    func cssColor(_ v: FieldValue, path: String) throws(SpecError) -> Color {
        guard case .string(let s) = v, let c = Palettes.css(s) else {
            throw SpecError(path, "\(v.text) is not a color (give #rrggbb or a CSS color name)")
        }
        return c
    }

    func channelScale(_ channel: Channel, _ units: [Unit]) throws(SpecError) -> ChannelScale? {
        guard
            let def = units.lazy.compactMap({ $0.def(channel) }).first(where: {
                $0.field != nil || $0.aggregate == .count
            }),
            let field = def.dataField
        else { return nil }
        let title = def.legend.title?.joined(separator: "\n") ?? def.title?.joined(separator: "\n") ?? def.defaultTitle
        let matching = units.filter { $0.def(channel)?.dataField == field }
        if def.type == .quantitative, channel == .size || channel == .opacity {
            var domain = Domains.extent(matching.map { ($0.data, [field]) }) ?? (0, 1)
            if let given = def.scale.domain?.compactMap(\.statistic), given.count == 2 { domain = (given[0], given[1]) }
            if channel == .size, def.scale.zero ?? true { domain = (min(0, domain.0), max(0, domain.1)) }
            // Vega-Lite's ranges: sizes 9…361 px² (as points², ×0.72²), opacity 0.3…0.8.
            let pp = Self.pointsPerPixel * Self.pointsPerPixel
            var range = channel == .size ? (9 * pp, 361 * pp) : (0.3, 0.8)
            if let r = def.scale.range?.compactMap(\.statistic), r.count == 2 {
                range = channel == .size ? (r[0] * pp, r[1] * pp) : (r[0], r[1])
            }
            return ChannelScale(
                field: field, title: title, legend: def.legend, channel: channel, values: [], domain: domain,
                range: range)
        }
        if def.type == .quantitative {
            throw SpecError(
                def.path, "a quantitative field on \(channel.rawValue) is not supported; use nominal or ordinal")
        }
        var values = def.scale.domain ?? []
        if values.isEmpty {
            var seen: Set<FieldValue> = []
            for u in matching {
                for v in Domains.discrete([u.data], field: field, sort: def.sort) where seen.insert(v).inserted {
                    values.append(v)
                }
            }
            if matching.count > 1 { values.sort(by: Domains.less) }
        }
        return ChannelScale(
            field: field, title: title, legend: def.legend, channel: channel, values: values, domain: nil, range: (0, 0)
        )
    }

    // MARK: - Legends

    func legend(_ scales: Scales, _ units: [Unit]) throws(SpecError) -> Legend? {
        var entries: [LegendEntry] = []
        var titles: [String] = []
        var orient: String?
        let markType = units.first?.mark.type ?? .point
        func handle(color: Color?, marker: MarkerStyle?, dash: LineStyle?, size: Double?, alpha: Double?) -> Mark {
            let c = color ?? theme.colorCycle.first
            switch markType {
            case .line, .rule, .errorbar:
                var l = LineMark(x: [], y: [], color: c, lineStyle: dash ?? .solid)
                if let marker { l.marker = marker }
                l.alpha = alpha
                return .line(l)
            case .bar, .area, .rect, .errorband:
                return .bars(BarMark(positions: [], values: [], color: c, alpha: alpha))
            default:
                let filled = units.first?.mark.filled ?? (markType != .point)
                var s = ScatterMark(
                    x: [], y: [], sizes: size.map { [$0] }, colors: filled ? c.map { [$0] } : [.none],
                    edgeColors: filled ? nil : c.map { [$0] },
                    marker: marker ?? (markType == .square ? .square : .circle))
                s.alpha = alpha
                return .scatter(s)
            }
        }
        if let color = scales.color, !color.legend.hidden, color.legend.orient != "none" {
            orient = color.legend.orient
            titles.append(color.title)
            switch color.kind {
            case .categorical(let values, _):
                let sameShape = scales.shape?.field == color.field ? scales.shape : nil
                for (i, v) in values.enumerated() {
                    let marker = sameShape == nil ? nil : ChannelScale.shapes[i % ChannelScale.shapes.count]
                    entries.append(
                        LegendEntry(
                            label: try legendLabel(v, color.legend.format),
                            handle: handle(color: color.color(v), marker: marker, dash: nil, size: nil, alpha: nil)))
                }
            case .continuous(let domain, _):
                let ticks = try ScaleMath.ticks(
                    .linear, domain, pixels: 200, count: 5, values: nil, bins: nil, format: color.legend.format,
                    path: "legend.format")
                for t in ticks {
                    entries.append(
                        LegendEntry(
                            label: t.label,
                            handle: handle(
                                color: color.color(.number(t.value)), marker: .square, dash: nil, size: nil, alpha: nil)
                        ))
                }
            case .identity:
                break
            }
        }
        for s in [scales.shape, scales.dash, scales.size, scales.opacity].compactMap({ $0 }) {
            guard !s.legend.hidden, s.legend.orient != "none", s.field != scales.color?.field || s.domain != nil else {
                continue
            }
            orient = orient ?? s.legend.orient
            titles.append(s.title)
            if let domain = s.domain {
                let ticks = try ScaleMath.ticks(
                    .linear, domain, pixels: 200, count: 4, values: nil, bins: nil, format: s.legend.format,
                    path: "legend.format")
                for t in ticks where t.value != 0 || s.channel != .size {
                    let amount = s.amount(.number(t.value))
                    entries.append(
                        LegendEntry(
                            label: t.label,
                            handle: handle(
                                color: nil, marker: nil, dash: nil, size: s.channel == .size ? amount : nil,
                                alpha: s.channel == .opacity ? amount : nil)))
                }
            } else {
                for (i, v) in s.values.enumerated() {
                    entries.append(
                        LegendEntry(
                            label: try legendLabel(v, s.legend.format),
                            handle: handle(
                                color: nil,
                                marker: s.channel == .shape ? ChannelScale.shapes[i % ChannelScale.shapes.count] : nil,
                                dash: s.channel == .strokeDash
                                    ? ChannelScale.dashes[i % ChannelScale.dashes.count] : nil, size: nil, alpha: nil)))
                }
            }
        }
        guard !entries.isEmpty else { return nil }
        var legend = Legend(loc: 2, bboxToAnchor: [1.02, 1], title: titles.joined(separator: " / "), entries: entries)
        if let f = config.legendLabelFontSize { legend.fontSize = f }
        switch orient ?? config.legendOrient ?? "right" {
        case "left": legend.loc = 1; legend.bboxToAnchor = [-0.15, 1]
        case "top": legend.loc = 8; legend.bboxToAnchor = [0.5, 1.02]; legend.ncol = entries.count
        case "bottom": legend.loc = 9; legend.bboxToAnchor = [0.5, -0.15]; legend.ncol = entries.count
        case "top-left": legend.loc = 2; legend.bboxToAnchor = nil
        case "top-right": legend.loc = 1; legend.bboxToAnchor = nil
        case "bottom-left": legend.loc = 3; legend.bboxToAnchor = nil
        case "bottom-right": legend.loc = 4; legend.bboxToAnchor = nil
        default: break
        }
        return legend
    }

    func legendLabel(_ v: FieldValue, _ format: String?) throws(SpecError) -> String {
        if let format, case .number(let d) = v { return try ScaleMath.format(d, format, path: "legend.format") }
        return v.text
    }
}

/// The non-position scales, shared by the whole figure.
struct Scales {
    var color: ColorScale?
    var shape: ChannelScale?
    var dash: ChannelScale?
    var size: ChannelScale?
    var opacity: ChannelScale?
}
